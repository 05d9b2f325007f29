import { join } from 'node:path';
import type { ShipProject } from './ship-project.js';
import { type Spread, spread } from './stats.js';
import { lastLines, type TimedProcesses, type TimedRun } from './timed-process.js';

/** One line ship prints per stage on stderr: `ok build: slipway-bench/ship-1:0.1.0, 134.7 MB, ...`. */
export interface StageLine {
  readonly stage: string;
  readonly status: 'ok' | 'failed';
  readonly summary: string;
}

export interface ShipRun {
  readonly ms: number;
  readonly exitLagMs: number;
  readonly closeLagMs: number;
  readonly code: number | null;
  readonly stages: readonly StageLine[];
}

export interface ShipTimes {
  /** The image the measured ships built. */
  readonly image: string;
  /** The unmeasured first ship: its build may rerun the dependency step (the copy's pyproject.toml is its own). */
  readonly first: ShipRun;
  /** The measured ships, each with the layer cache the one before left. */
  readonly runs: readonly ShipRun[];
  readonly ms: Spread;
  /** Over every ship, the first included: no run may outlive its output. */
  readonly exitLagMs: Spread;
  readonly closeLagMs: Spread;
  /** Containers of the ship's images still there after the ships (slipway should leave none). */
  readonly leftoverContainers: number;
}

export interface VerifyRun {
  readonly ms: number;
  /** verify's own total (`--json` durationMs: the checks, after its build). */
  readonly reportedMs: number;
  readonly code: number | null;
  readonly passed: number;
  readonly failed: readonly string[];
  readonly skipped: readonly string[];
}

export interface VerifyTimes {
  readonly command: string;
  readonly runs: readonly VerifyRun[];
  readonly ms: Spread;
  readonly reportedMs: Spread;
  readonly leftoverContainers: number;
}

const STAGES = ['analyze', 'init', 'check', 'build', 'verify'] as const;
const RUN_TIMEOUT_MS = 300_000;

/**
 * `slipway ship <copy>` as a user runs it (text output), once unmeasured, then `reps` times with
 * the layer cache warm. Ship analyzes, inits, checks, builds and verifies (the scan is one of
 * verify's checks); it has no deploy or push stage, so nothing leaves the machine.
 */
export async function measureShip(
  root: string,
  project: ShipProject,
  processes: TimedProcesses,
  reps: number,
  say: (message: string) => void,
): Promise<ShipTimes> {
  const once = async (label: string) => {
    const run = shipRun(
      await processes.node(cli(root, 'ship', project.dir), { cwd: root, timeoutMs: RUN_TIMEOUT_MS }),
    );
    await project.refs();
    const failed = run.stages.filter((s) => s.status === 'failed').map((s) => s.stage);
    say(
      `${label}: ${(run.ms / 1000).toFixed(1)} s, exit ${run.code}, last output → exit ${run.exitLagMs.toFixed(0)} ms` +
        (failed.length > 0 ? `, failed stages: ${failed.join(', ')}` : ''),
    );
    return run;
  };
  const first = await once('ship (first, not measured)');
  const runs: ShipRun[] = [];
  for (let rep = 0; rep < reps; rep += 1) runs.push(await once(`ship ${rep + 1}/${reps} (warm)`));
  const [image] = await project.refs();
  if (!image) throw new Error(`ship left no image under ${project.repository}`);
  const all = [first, ...runs];
  return {
    image,
    first,
    runs,
    ms: spread(runs.map((r) => r.ms)),
    exitLagMs: spread(all.map((r) => r.exitLagMs)),
    closeLagMs: spread(all.map((r) => r.closeLagMs)),
    leftoverContainers: (await project.containers()).length,
  };
}

/** A ship that did not get through every stage is no ship time: it is reported as missing. */
function shipRun(run: TimedRun): ShipRun {
  if (run.code !== 0 && run.code !== 1) {
    throw new Error(`slipway ship exited ${run.code ?? run.signal}:\n${lastLines(run)}`);
  }
  const stages: StageLine[] = [];
  for (const match of run.stderr.matchAll(/^(ok|FAILED) (\w+): (.*)$/gm)) {
    const [, status, stage, summary] = match;
    if (stage && summary !== undefined)
      stages.push({ stage, status: status === 'ok' ? 'ok' : 'failed', summary });
  }
  const missing = STAGES.filter((stage) => !stages.some((s) => s.stage === stage));
  if (missing.length > 0) {
    throw new Error(
      `slipway ship stopped before ${missing.join(', ')} (exit ${run.code}):\n${lastLines(run)}`,
    );
  }
  const { ms, exitLagMs, closeLagMs, code } = run;
  return { ms, exitLagMs, closeLagMs, code, stages };
}

/**
 * `slipway verify <copy> --json`, `reps` times after the ships: what a user in the project types.
 * It builds first (every layer from the cache, as the ships left it), then runs its checks; the
 * wall time includes both, its reported total only the checks.
 */
export async function measureVerify(
  root: string,
  project: ShipProject,
  processes: TimedProcesses,
  reps: number,
  say: (message: string) => void,
): Promise<VerifyTimes> {
  const runs: VerifyRun[] = [];
  for (let rep = 0; rep < reps; rep += 1) {
    const timed = await processes.node(cli(root, 'verify', project.dir, '--json'), {
      cwd: root,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    await project.refs();
    const run = verifyRun(timed);
    say(
      `verify ${rep + 1}/${reps}: ${(run.ms / 1000).toFixed(1)} s (its own total ${(run.reportedMs / 1000).toFixed(1)} s), ` +
        `${run.passed} passed, failed: ${run.failed.join(', ') || 'none'}, skipped: ${run.skipped.join(', ') || 'none'}`,
    );
    runs.push(run);
  }
  return {
    command: 'slipway verify <project> --json',
    runs,
    ms: spread(runs.map((r) => r.ms)),
    reportedMs: spread(runs.map((r) => r.reportedMs)),
    leftoverContainers: (await project.containers()).length,
  };
}

function verifyRun(run: TimedRun): VerifyRun {
  if (run.code !== 0 && run.code !== 1) {
    throw new Error(`slipway verify exited ${run.code ?? run.signal}:\n${lastLines(run)}`);
  }
  let report: { durationMs?: unknown; results?: { id: string; status: string }[] };
  try {
    report = JSON.parse(run.stdout) as typeof report;
  } catch {
    throw new Error(`slipway verify --json printed no JSON (exit ${run.code}):\n${lastLines(run)}`);
  }
  const results = report.results ?? [];
  if (typeof report.durationMs !== 'number' || results.length === 0) {
    throw new Error('slipway verify --json: no durationMs or no results in its report');
  }
  const ids = (status: string) => results.filter((r) => r.status === status).map((r) => r.id);
  return {
    ms: run.ms,
    reportedMs: report.durationMs,
    code: run.code,
    passed: ids('pass').length,
    failed: ids('fail'),
    skipped: ids('skip'),
  };
}

function cli(root: string, ...args: string[]): string[] {
  return [join(root, 'bin', 'slipway.js'), ...args];
}

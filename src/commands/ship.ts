import { relative } from 'node:path';
import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { checkProject } from '../check/project.js';
import type { CheckReport } from '../check/types.js';
import { detectEngine } from '../engines/detect.js';
import { generateFiles } from '../generate/index.js';
import { planWrite, writeFiles } from '../generate/write.js';
import { failsAt, type Result } from '../result.js';
import { exampleProject } from '../util/paths.js';
import type { VerifyCheck } from '../verify/check.js';
import type { VerifyReport } from '../verify/runner.js';
import { type BuildOutcome, buildModel } from './build.js';
import { verifyBuilt } from './verify.js';

export type StageName = 'analyze' | 'init' | 'check' | 'build' | 'verify';

export interface StageResult {
  readonly stage: StageName;
  readonly status: 'ok' | 'failed';
  /** One line: what the stage found or did. */
  readonly summary: string;
  readonly durationMs: number;
}

export interface ShipOptions {
  /** Project folder. @default the bundled reference backend */
  readonly path?: string;
  readonly engine?: string;
  readonly onStageStart?: (stage: StageName) => void;
  readonly onStage?: (result: StageResult) => void;
  /** Each build step as it finishes, and each verify result as it is known. */
  readonly build?: Parameters<typeof buildModel>[2];
  readonly onResult?: (result: Result) => void;
  /** Checks run after verify's own, e.g. the scan (src/scan/verify-check.ts). */
  readonly extraChecks?: readonly VerifyCheck[];
}

export interface ShipOutcome {
  readonly stages: readonly StageResult[];
  readonly model: ProjectModel;
  readonly check: CheckReport;
  readonly build: BuildOutcome | undefined;
  readonly verify: VerifyReport | undefined;
  /** Every stage passed. */
  readonly ok: boolean;
}

/**
 * The main job: analyze, init (when files are missing or stale), check, build, verify (with the
 * scan as one of its checks when the caller passes it) — with one summary. Check findings do not stop the run (the image is still built and verified, so one run
 * shows everything); a failed build does.
 */
export async function ship(options: ShipOptions = {}): Promise<ShipOutcome> {
  const stages: StageResult[] = [];
  const stage = async <T>(
    name: StageName,
    run: () => Promise<{ value: T; ok: boolean; summary: string }>,
  ) => {
    options.onStageStart?.(name);
    const started = Date.now();
    const { value, ok, summary } = await run();
    const result: StageResult = {
      stage: name,
      status: ok ? 'ok' : 'failed',
      summary,
      durationMs: Date.now() - started,
    };
    stages.push(result);
    options.onStage?.(result);
    return value;
  };

  const model = await stage('analyze', async () => {
    const value = await analyzeProject(options.path ?? exampleProject);
    return {
      value,
      ok: true,
      summary: `${value.name} ${value.version}: ${value.app.module}:${value.app.attribute}, Python ${value.python.version}`,
    };
  });

  await stage('init', async () => {
    const files = generateFiles(model);
    const plan = await planWrite(model.root, files);
    const edited = plan.filter((file) => file.action === 'conflict').map((file) => file.path);
    const stale = plan.filter((file) => file.action === 'create' || file.action === 'update');
    if (edited.length > 0) {
      // Hand edits win: ship never overwrites them; check and verify judge the files as they are.
      return { value: undefined, ok: true, summary: `kept files edited by hand: ${edited.join(', ')}` };
    }
    if (stale.length === 0) return { value: undefined, ok: true, summary: 'generated files are current' };
    const { written } = await writeFiles(model.root, files);
    return { value: undefined, ok: true, summary: `wrote ${written.join(', ')}` };
  });

  const check = await stage('check', async () => {
    const value = await checkProject(model.root, {
      model,
      lock: { fresh: model.lock.fresh, path: relative(model.root, model.lock.path) || 'uv.lock' },
    });
    const failing = value.findings.filter((f) => f.status === 'fail' && !f.suppressed);
    return {
      value,
      ok: !failsAt(value.findings, 'warning'),
      summary:
        failing.length === 0
          ? `no findings (${value.rules.length} rules, ${value.files.length} files)`
          : `${failing.length} finding(s): ${[...new Set(failing.map((f) => f.id))].join(', ')}`,
    };
  });

  const { engine } = await detectEngine(options.engine);
  let built: BuildOutcome | undefined;
  try {
    built = await stage('build', async () => {
      const value = await buildModel(model, engine, options.build ?? {});
      return {
        value,
        ok: true,
        summary: `${value.image}, ${(value.size / 1e6).toFixed(1)} MB, ${value.steps.cached}/${value.steps.total} steps cached`,
      };
    });
  } catch (error) {
    stages.push({ stage: 'build', status: 'failed', summary: firstLine(error), durationMs: 0 });
    options.onStage?.(stages.at(-1) as StageResult);
    return { stages, model, check, build: undefined, verify: undefined, ok: false };
  }

  const verified = await stage('verify', async () => {
    const value = await verifyBuilt(engine, built.image, model, {
      ...(options.onResult ? { onResult: options.onResult } : {}),
      ...(options.extraChecks ? { extraChecks: options.extraChecks } : {}),
    });
    const failed = value.results.filter((r) => r.status === 'fail');
    return {
      value,
      ok: value.ok,
      summary: `${value.results.length - failed.length}/${value.results.length} checks passed${
        failed.length ? `; failed: ${failed.map((r) => r.id).join(', ')}` : ''
      }`,
    };
  });

  return {
    stages,
    model,
    check,
    build: built,
    verify: verified,
    ok: stages.every((s) => s.status === 'ok'),
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

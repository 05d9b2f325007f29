import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { inCI, testbedKubeconfig } from './testbed.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * Why scripts/testbed/podman.sh failed in the global setup ('' when it succeeded; absent when
     * SLIPWAY_SKIP_TESTBED=1 skipped the bring-up). Only outside CI: with CI=true it fails the run.
     */
    podmanUnavailable?: string;
  }
}

const repoRoot = join(import.meta.dirname, '..', '..');
const testbed = join(repoRoot, 'scripts', 'testbed');
// A script that prints nothing for this long gets a line saying it still runs: the cold
// Kubernetes build is silent for ~9 minutes after its module downloads.
const HEARTBEAT_MS = 60_000;
// How long to wait for the script's pipes after it exited, in case a daemon it started kept them.
const PIPE_GRACE_MS = 2_000;

/**
 * The e2e project's global setup (vitest runs it in the main process, before any worker starts,
 * without a timeout): brings the whole test bed up, one idempotent script after the other, each
 * taking seconds when its part is already up:
 *   1. scripts/testbed/up.sh: Docker engine with BuildKit and the stand-in base images;
 *   2. scripts/testbed/podman.sh: Podman beside it (needs 1);
 *   3. scripts/testbed/cluster/up.sh: the single-node Kubernetes (the first build takes ~9-13 min);
 *   4. scripts/testbed/registry.sh: a real registry on 127.0.0.1:5000 (built once, ~2 min);
 *   5. scripts/testbed/syft.sh: syft for the SBOM side-by-side test (built once from the Go module proxy, ~7 min);
 *   6. scripts/testbed/helm.sh: helm for the chart tests (built once from the Go module proxy, ~4 min).
 * Output is streamed as it comes, so a long build shows progress. The engine, the cluster and the
 * registry are required: when either does not come up the run fails. Podman is required with CI=true; outside
 * CI a machine that cannot get it runs the rest and the podman tests skip (podmanUnavailable).
 * SLIPWAY_SKIP_TESTBED=1 skips the bring-up (for a test bed started by hand, e.g. .ci/run); the
 * tests still fail when what they need does not answer.
 */
export default async function setup(project: TestProject): Promise<void> {
  // Workers inherit the main process's environment (vitest builds the pool's env after the global
  // setups), so this points every e2e test, and the CLI it spawns, at the test cluster and never
  // at whatever context the user's own kubeconfig selects.
  process.env.KUBECONFIG = testbedKubeconfig();
  if (process.env.SLIPWAY_SKIP_TESTBED === '1') {
    log('SLIPWAY_SKIP_TESTBED=1: not bringing the test bed up');
    return;
  }
  const started = Date.now();

  const engine = await runScript(join(testbed, 'up.sh'));
  if (!engine.ok) throw new Error(`the Docker test bed did not come up (${engine.why})`);

  const podman = await runScript(join(testbed, 'podman.sh'));
  if (!podman.ok) {
    if (inCI) throw new Error(`podman did not come up (${podman.why})`);
    log(
      `WARNING: podman did not come up (${podman.why}); the podman tests will skip (CI=true fails instead)`,
    );
  }
  project.provide('podmanUnavailable', podman.ok ? '' : podman.why);

  const cluster = await runScript(join(testbed, 'cluster', 'up.sh'));
  if (!cluster.ok) throw new Error(`the test cluster did not come up (${cluster.why})`);

  const registry = await runScript(join(testbed, 'registry.sh'));
  if (!registry.ok) throw new Error(`the test bed's registry did not come up (${registry.why})`);

  const syft = await runScript(join(testbed, 'syft.sh'));
  if (!syft.ok) {
    if (inCI) throw new Error(`syft could not be built (${syft.why})`);
    log(
      `WARNING: syft could not be built (${syft.why}); test/e2e/sbom-syft.test.ts will skip (CI=true fails instead)`,
    );
  }

  log(`test bed up in ${seconds(Date.now() - started)}; KUBECONFIG=${process.env.KUBECONFIG}`);
}

interface ScriptResult {
  readonly ok: boolean;
  /** What went wrong, naming the command; '' when ok. */
  readonly why: string;
}

/** Runs `bash script`, streaming its output to stderr line by line as it comes. Never throws. */
function runScript(script: string): Promise<ScriptResult> {
  const name = relative(repoRoot, script);
  const command = `bash ${name}`;
  const started = Date.now();
  log(`${command} ...`);
  return new Promise((resolve) => {
    // Asynchronous, not spawnSync: the main process keeps its event loop (reporters, signals).
    const child = spawn('bash', [script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastOutput = Date.now();
    const forward = (stream: NodeJS.ReadableStream) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        lastOutput = Date.now();
        pending += chunk;
        const end = pending.lastIndexOf('\n');
        if (end < 0) return;
        process.stderr.write(pending.slice(0, end + 1));
        pending = pending.slice(end + 1);
      });
      stream.on('end', () => {
        if (pending) process.stderr.write(`${pending}\n`);
      });
    };
    forward(child.stdout);
    forward(child.stderr);
    const heartbeat = setInterval(() => {
      const silent = Date.now() - lastOutput;
      if (silent >= HEARTBEAT_MS) {
        log(
          `${command} still running after ${seconds(Date.now() - started)} (no output for ${seconds(silent)})`,
        );
        lastOutput = Date.now();
      }
    }, HEARTBEAT_MS / 4);

    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (result: ScriptResult) => {
      if (settled) return;
      settled = true;
      clearInterval(heartbeat);
      if (grace) clearTimeout(grace);
      log(`${command} ${result.ok ? 'done' : 'FAILED'} in ${seconds(Date.now() - started)}`);
      resolve(result);
    };
    const outcome = (code: number | null, signal: NodeJS.Signals | null): ScriptResult =>
      code === 0
        ? { ok: true, why: '' }
        : { ok: false, why: `${command} ${signal ? `was killed by ${signal}` : `exited ${code}`}` };
    child.on('error', (error) => finish({ ok: false, why: `${command}: ${error.message}` }));
    // 'close' waits for the pipes too; should a daemon the script started keep them open, the
    // setup would wait forever, so after the exit the pipes get a short grace and are dropped.
    child.on('close', (code, signal) => finish(outcome(code, signal)));
    child.on('exit', (code, signal) => {
      grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(outcome(code, signal));
      }, PIPE_GRACE_MS);
    });
  });
}

function log(line: string): void {
  process.stderr.write(`testbed-setup: ${line}\n`);
}

function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

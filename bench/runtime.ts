import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerEngine } from '../src/engines/engine.js';
import { exec } from '../src/util/exec.js';
import type { BenchOptions } from './args.js';
import { BENCH_LABEL } from './cleanup.js';
import { get, runLoad } from './load.js';

export interface RuntimeSample {
  /** From just before `docker run` to the first 200 on /healthz. */
  readonly startMs: number;
  /** Resident memory of the container's processes, one second after the first 200. */
  readonly rssBytes: number;
  readonly rps: number;
  /** Requests of the measured load that did not answer 200. */
  readonly failed: number;
}

const APP_PORT = 8000;
const HEALTH_PATH = '/healthz';
/** A route that reaches the database and the response models, not only the router. */
const LOAD_PATH = '/api/items?limit=10';
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 25;
const SETTLE_MS = 1_000;
const WARMUP_MS = 1_000;

export async function measureRuntime(
  engine: ContainerEngine,
  image: string,
  options: BenchOptions,
): Promise<RuntimeSample> {
  const started = performance.now();
  const id = await engine.run({
    image,
    // The app requires an API key to start; the bench sends no writes, so any value serves.
    env: { INVENTORY_API_KEY: 'bench-not-a-secret' },
    publish: [{ containerPort: APP_PORT, hostIp: '127.0.0.1' }],
    labels: { [BENCH_LABEL]: String(process.pid) },
  });
  try {
    const { port } = await engine.hostPort(id, APP_PORT);
    await waitForHealth(engine, id, port, started);
    const startMs = performance.now() - started;
    await sleep(SETTLE_MS);
    const rssBytes = await containerRss(id);
    const common = { port, path: LOAD_PATH, concurrency: options.concurrency };
    await runLoad({ ...common, durationMs: WARMUP_MS, maxRequests: options.maxRequests });
    const load = await runLoad({
      ...common,
      durationMs: options.durationS * 1000,
      maxRequests: options.maxRequests,
    });
    if (load.ok === 0) throw new Error(`${image}: no request to ${LOAD_PATH} answered 200 under load`);
    return { startMs, rssBytes, rps: load.ok / (load.elapsedMs / 1000), failed: load.failed };
  } finally {
    await engine.removeContainers([id]);
  }
}

async function waitForHealth(engine: ContainerEngine, id: string, port: number, started: number) {
  let lastStateCheck = performance.now();
  while (performance.now() - started < START_TIMEOUT_MS) {
    if ((await get(port, HEALTH_PATH)) === 200) return;
    // A container that exited never answers: stop polling at once and show why.
    if (performance.now() - lastStateCheck > 1_000) {
      lastStateCheck = performance.now();
      if (!(await engine.state(id)).running) {
        throw new Error(`the container exited before answering ${HEALTH_PATH}:\n${await engine.logs(id)}`);
      }
    }
    await sleep(POLL_MS);
  }
  throw new Error(`no 200 on ${HEALTH_PATH} within ${START_TIMEOUT_MS / 1000} s:\n${await engine.logs(id)}`);
}

/**
 * Sum of the RSS of the container's processes, as the host's ps sees them (`docker top`): the
 * same number on cgroup v1 and v2, and without the page cache that cgroup usage counts.
 */
async function containerRss(id: string): Promise<number> {
  const { stdout } = await exec('docker', ['top', id, '-o', 'pid,rss']);
  const kib = stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.trim().split(/\s+/)[1]))
    .filter((value) => Number.isFinite(value))
    .reduce((sum, value) => sum + value, 0);
  return kib * 1024;
}

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ContainerEngine,
  ContainerState,
  ExecInResult,
  ImageInfo,
  LayerInfo,
  RunRequest,
} from '../../../src/engines/engine.js';

/**
 * A ContainerEngine that runs nothing: containers are records, and their published port leads to
 * a small HTTP server in the test process that plays the app. Scripts the checks run inside the
 * image are answered by content, as the real interpreter would.
 */
export interface FakeContainer {
  readonly id: string;
  readonly request: RunRequest;
  /** Mode of the env-file when the engine "read" it. */
  readonly envFileMode: number | undefined;
  /** Plain env plus the env-file's values, as the container would see them. */
  readonly env: Record<string, string>;
  running: boolean;
  exitCode: number;
}

export interface FakeBehaviour {
  image: ImageInfo | undefined;
  /** Answers for the scripts, keyed by a word of the script. */
  procStatus: string;
  listing: { scanned: number; found: { kind: string; path: string; size: number | null }[] };
  access: Record<string, unknown>;
  /** Field values the settings class holds; by default read from the container's env. */
  settingsValues: ((env: Record<string, string>) => Record<string, string>) | undefined;
  health: string | undefined;
  /** Called on `run` before the container is recorded as started; throwing simulates a failed start. */
  onRun: ((request: RunRequest) => void) | undefined;
  /** Makes `run` hang until the test releases it. */
  runGate: Promise<void> | undefined;
  /** What `logs` returns (the launcher's markers included by default). */
  logs: string;
  /** Failing readiness probes (pg_isready, redis-cli ping) before a service answers; Infinity: never. */
  serviceProbeFailures: number;
  /** What a migration run (runOnce with an entrypoint) exits with and prints. */
  migration: { code: number; output: string };
}

export const GOOD_LOGS = [
  'INFO:     Application startup complete.',
  'slipway-launcher: slow route /__slipway__/slow added (pid 1)',
  'slipway-launcher: slow request started (1s)',
  'INFO:     Application shutdown complete.',
  'slipway-launcher: lifespan shutdown complete',
  '',
].join('\n');

export const GOOD_IMAGE: ImageInfo = {
  id: 'sha256:feed',
  repoTags: ['fake/app:1'],
  size: 120_000_000,
  user: '10001:10001',
  labels: {},
  env: [],
  exposedPorts: ['8000/tcp'],
  created: '2026-01-01T00:00:00Z',
  healthcheck: { test: ['CMD', 'true'], intervalMs: 2000, timeoutMs: 2000, startPeriodMs: 0, retries: 3 },
};

export const PROC_STATUS =
  'Name:\tpython3\nUid:\t10001\t10001\t10001\t10001\nGid:\t10001\t10001\t10001\t10001\nCapEff:\t0000000000000000\nNoNewPrivs:\t1\n';

export class FakeEngine implements ContainerEngine {
  readonly kind = 'docker' as const;
  readonly containers = new Map<string, FakeContainer>();
  readonly removed: string[] = [];
  readonly calls: string[] = [];
  private next = 0;
  behaviour: FakeBehaviour = {
    image: GOOD_IMAGE,
    procStatus: PROC_STATUS,
    listing: { scanned: 4000, found: [] },
    access: { uid: 10001, gid: 10001, roots: ['/app'], checked: 9, writable: [], writableCount: 0, data: [] },
    settingsValues: undefined,
    health: 'healthy',
    onRun: undefined,
    runGate: undefined,
    logs: GOOD_LOGS,
    serviceProbeFailures: 0,
    migration: {
      code: 0,
      output: 'INFO  [alembic.runtime.migration] Running upgrade  -> 0001, create items',
    },
  };
  readonly networks = new Map<string, Record<string, string>>();
  readonly removedNetworks: string[] = [];
  /** Every readiness probe run inside a service container. */
  readonly serviceProbes: string[][] = [];

  constructor(private readonly appPort: () => number) {}

  async probe(): Promise<never> {
    throw new Error('not used');
  }
  async inspectImage(): Promise<ImageInfo | undefined> {
    return this.behaviour.image;
  }
  async canPull(): Promise<boolean> {
    return false;
  }
  async build(): Promise<never> {
    throw new Error('not used');
  }
  async saveImage(): Promise<never> {
    throw new Error('not used');
  }
  async saveImageTo(): Promise<never> {
    throw new Error('not used');
  }
  async tag(): Promise<never> {
    throw new Error('not used');
  }
  async push(): Promise<never> {
    throw new Error('not used');
  }
  async history(): Promise<LayerInfo[]> {
    return [{ size: 100_000_000, createdBy: 'COPY /app/.venv /app/.venv', empty: false }];
  }

  async run(request: RunRequest): Promise<string> {
    this.calls.push(`run ${request.name}`);
    const id = `c${++this.next}`;
    const env: Record<string, string> = { ...(request.env ?? {}) };
    let envFileMode: number | undefined;
    if (request.envFile) {
      envFileMode = statSync(request.envFile).mode & 0o777;
      const { readFileSync } = await import('node:fs');
      for (const line of readFileSync(request.envFile, 'utf8').split('\n').filter(Boolean)) {
        const [key, ...value] = line.split('=');
        env[key ?? ''] = value.join('=');
      }
    }
    // Like the engine: the container exists (with its labels) before it is started.
    this.containers.set(id, { id, request, envFileMode, env, running: true, exitCode: 0 });
    if (this.behaviour.runGate) await this.behaviour.runGate;
    this.behaviour.onRun?.(request);
    return id;
  }

  async runOnce(request: RunRequest) {
    const id = await this.run(request);
    // verify's probes run without a network; the migration runs on the run's own (or the default).
    if (request.network !== 'none') {
      await this.removeContainers([id]);
      return { stdout: this.behaviour.migration.output, stderr: '', code: this.behaviour.migration.code };
    }
    const script = request.command?.[1] ?? '';
    await this.removeContainers([id]);
    return { ...this.answer(script, request.command?.[2], {}), code: 0 };
  }

  async execIn(container: string, command: readonly string[]): Promise<ExecInResult> {
    const record = this.containers.get(container);
    if (!record?.running) return { stdout: '', stderr: 'container is not running', code: 1 };
    if (/^(pg_isready|redis-cli|mysqladmin)$/.test(command[0] ?? '')) {
      this.serviceProbes.push([...command]);
      const failed = this.serviceProbes.filter((probe) => probe[0] === command[0]).length;
      if (failed <= this.behaviour.serviceProbeFailures) {
        return { stdout: '', stderr: 'no response', code: 2 };
      }
      return { stdout: command[0] === 'redis-cli' ? 'PONG\n' : '', stderr: '', code: 0 };
    }
    return { ...this.answer(command[2] ?? '', command[3], record.env), code: 0 };
  }

  private answer(script: string, arg: string | undefined, env: Record<string, string>) {
    if (script.includes('/proc/1/status')) return { stdout: this.behaviour.procStatus, stderr: '' };
    if (script.includes('/proc/1/cmdline')) return { stdout: 'python3 -m app', stderr: '' };
    if (script.includes('CACHEDIR.TAG'))
      return { stdout: JSON.stringify(this.behaviour.listing), stderr: '' };
    if (script.includes('W_OK')) return { stdout: JSON.stringify(this.behaviour.access), stderr: '' };
    if (script.includes('get_secret_value')) {
      const spec = JSON.parse(arg ?? '[]') as { importPath: string; fields: string[] }[];
      const values = this.behaviour.settingsValues?.(env) ?? env;
      const out = spec.map((item) => ({
        importPath: item.importPath,
        digests: Object.fromEntries(
          item.fields.map((field) => {
            const value = values[field] ?? values[`APP_${field.toUpperCase()}`];
            return [field, value === undefined ? null : createHash('sha256').update(value).digest('hex')];
          }),
        ),
      }));
      return { stdout: `${JSON.stringify(out)}\n`, stderr: '' };
    }
    return { stdout: '', stderr: `unknown script ${script.slice(0, 40)}` };
  }

  async hostPort(): Promise<{ host: string; port: number }> {
    return { host: '127.0.0.1', port: this.appPort() };
  }
  async state(container: string): Promise<ContainerState> {
    const record = this.containers.get(container);
    if (!record) throw new Error(`no such container: ${container}`);
    return {
      running: record.running,
      exitCode: record.exitCode,
      health: this.behaviour.health,
      oomKilled: false,
      healthLog: ['probe output'],
    };
  }
  async logs(): Promise<string> {
    return this.behaviour.logs;
  }
  async stop(container: string): Promise<void> {
    await this.kill(container, 'SIGTERM');
  }
  async kill(container: string, signal: string): Promise<void> {
    this.calls.push(`kill ${signal}`);
    const record = this.containers.get(container);
    if (record) setTimeout(() => Object.assign(record, { running: false, exitCode: 0 }), 50);
  }
  async removeContainers(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      if (this.containers.delete(id)) this.removed.push(id);
    }
  }
  async removeImages(): Promise<void> {}
  async createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push(`network create ${name}`);
    this.networks.set(name, { ...labels });
  }
  async removeNetworks(names: readonly string[]): Promise<void> {
    for (const name of names) {
      const members = [...this.containers.values()].filter((c) => c.request.network === name);
      // Like the engine: a network with containers on it stays.
      if (members.length === 0 && this.networks.delete(name)) this.removedNetworks.push(name);
    }
  }
  async networksWithLabel(label: string): Promise<string[]> {
    const [key, value] = label.split('=');
    return [...this.networks.entries()]
      .filter(([, labels]) => key !== undefined && labels[key] === value)
      .map(([name]) => name);
  }
  async containersWithLabel(label: string): Promise<string[]> {
    const [key, value] = label.split('=');
    return [...this.containers.values()]
      .filter((c) => {
        const labels = c.request.labels ?? {};
        return key !== undefined && key in labels && (value === undefined || labels[key] === value);
      })
      .map((c) => c.id);
  }
}

export type Route = (path: string) => { status: number; body: string; delayMs?: number; drop?: boolean };

export const GOOD_ROUTES: Route = (path) => {
  if (path === '/healthz' || path === '/readyz') return { status: 200, body: '{"status":"ok"}' };
  if (path === '/openapi.json') return { status: 200, body: '{"openapi":"3.1.0","paths":{"/healthz":{}}}' };
  if (path === '/__slipway__/slow') return { status: 200, body: '{}', delayMs: 300 };
  return { status: 404, body: '{"detail":"Not Found"}' };
};

/** The app behind every fake container's published port, on a free loopback port. */
export async function startFakeApp(routes: { current: Route }): Promise<Server> {
  const server = createServer((request, response) => {
    const answer = routes.current(request.url ?? '/');
    setTimeout(() => {
      if (answer.drop) {
        response.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(answer.body);
    }, answer.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export const portOf = (server: Server) => (server.address() as AddressInfo).port;

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContainerEngine, OWNER_LABEL, type RunRequest } from '../engines/engine.js';
import type { RunningApp, RunVariant } from './check.js';
import { RESTRICTIONS } from './checks/restricted.js';
import type { ServicePlan } from './services/plan.js';
import { type Preparation, prepare } from './services/prepare.js';
import { envFileText, type SettingsSupply } from './settings-values.js';
import type { VerifyTarget } from './target.js';

/** Label key whose value is unique to one verify run: cleanup finds the run's containers by it. */
export const RUN_LABEL = 'io.slipway.verify.run';

/**
 * Owns every container one verify run makes. Each carries OWNER_LABEL and the run's own label,
 * and a name derived from the run id, so that one started while an interrupt arrives (its id not
 * yet known) is still found and removed.
 */
/**
 * What the app needs before it starts (its services, its migration) failed: the checks that run
 * it did not see the app at all, so their verdict is a skip; the failed step is reported by its
 * own check (verify.services, verify.migrate).
 */
export class AppNotStartedError extends Error {}

export class VerifySession {
  readonly runId = `${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  private readonly ids = new Set<string>();
  private readonly pending = new Set<Promise<unknown>>();
  private envDir: Promise<string> | undefined;
  private envFile: Promise<string | undefined> | undefined;
  private count = 0;
  private closed = false;
  private prepared: Promise<Preparation> | undefined;
  private network: Promise<string> | undefined;

  constructor(
    private readonly engine: ContainerEngine,
    private readonly image: string,
    private readonly target: VerifyTarget,
    private readonly settings: SettingsSupply,
    /** The companion services to start before the app, and the user the app (and migration) runs as. */
    private readonly services: { readonly plans: readonly ServicePlan[]; readonly runtimeUser: string } = {
      plans: [],
      runtimeUser: `${target.uid}:${target.gid}`,
    },
  ) {}

  /** The run's private network, created on first use; undefined when there is no service to reach. */
  private networkName(): Promise<string> | undefined {
    if (this.services.plans.length === 0) return undefined;
    this.network ??= (async () => {
      const name = `slipway-verify-${this.runId}`;
      await this.track(() => this.engine.createNetwork(name, this.labels()));
      return name;
    })();
    return this.network;
  }

  /**
   * Starts the companion services and runs the migration, once per run: every app container
   * (the standard one and each variant) starts after it, on the same network.
   */
  prepare(): Promise<Preparation> {
    this.prepared ??= prepare(
      {
        engine: this.engine,
        startService: (plan) => this.startService(plan),
        runMigration: (command, timeoutMs) => this.runMigration(command, timeoutMs),
        cancelled: () => this.closed,
      },
      this.services.plans,
      this.target.migration,
      {
        healthDeadlineMs: this.target.healthDeadlineSeconds * 1000,
        migrationTimeoutMs: MIGRATION_TIMEOUT_MS,
      },
    );
    return this.prepared;
  }

  private async startService(plan: ServicePlan): Promise<string> {
    const network = await this.networkName();
    let envFile: string | undefined;
    if (Object.keys(plan.secretEnv).length > 0) {
      envFile = await this.scratch(`${plan.kind}.env`);
      await writeFile(envFile, envFileText(plan.secretEnv), { mode: 0o600 });
    }
    const request: RunRequest = {
      image: plan.image,
      name: this.nextName(plan.kind),
      labels: this.labels(),
      env: plan.env,
      ...(network ? { network, networkAliases: plan.aliases } : {}),
      ...(envFile ? { envFile } : {}),
    };
    const id = await this.track(() => this.engine.run(request));
    this.ids.add(id);
    return id;
  }

  private async runMigration(command: readonly string[], timeoutMs: number) {
    const [program, ...args] = command;
    if (program === undefined) throw new Error('the migration command is empty');
    const network = await this.networkName();
    const envFile = await this.secretsFile();
    // As the Job runs it: the app's user, read-only root, no capabilities.
    const request: RunRequest = {
      image: this.image,
      name: this.nextName('migrate'),
      labels: this.labels(),
      user: this.services.runtimeUser,
      ...RESTRICTIONS,
      tmpfs: [...RESTRICTIONS.tmpfs],
      capDrop: [...RESTRICTIONS.capDrop],
      securityOpt: [...RESTRICTIONS.securityOpt],
      entrypoint: program,
      command: args,
      env: { ...this.settings.plain },
      ...(network ? { network } : {}),
      ...(envFile ? { envFile } : {}),
    };
    const result = await this.track(() => this.engine.runOnce(request, timeoutMs));
    return { output: `${result.stdout}${result.stderr}`, code: result.code };
  }

  get label(): string {
    return `${RUN_LABEL}=${this.runId}`;
  }

  private labels(): Record<string, string> {
    return { [OWNER_LABEL]: 'slipway', [RUN_LABEL]: this.runId };
  }

  private nextName(purpose: string): string {
    this.count++;
    return `slipway-verify-${this.runId}-${this.count}-${purpose.replace(/[^a-z0-9]+/gi, '-')}`;
  }

  /** Registers work that may create a container, so that cleanup waits for it first. */
  private track<T>(begin: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('verify session already cleaned up'));
    const work = begin();
    this.pending.add(work);
    const settle = () => this.pending.delete(work);
    work.then(settle, settle);
    return work;
  }

  /** The run's own 0700 temp folder, deleted at cleanup; `name` is a path inside it. */
  async scratch(name: string): Promise<string> {
    this.envDir ??= mkdtemp(join(tmpdir(), 'slipway-verify-'));
    return join(await this.envDir, name);
  }

  /** Secrets go to a 0600 file in a 0700 folder, read by the engine and deleted at cleanup. */
  private secretsFile(): Promise<string | undefined> {
    this.envFile ??= (async () => {
      if (Object.keys(this.settings.secret).length === 0) return undefined;
      const file = await this.scratch('secrets.env');
      await writeFile(file, envFileText(this.settings.secret), { mode: 0o600 });
      return file;
    })();
    return this.envFile;
  }

  async start(variant: RunVariant, purpose: string): Promise<RunningApp> {
    const prepared = await this.prepare();
    if (!prepared.ok) throw new AppNotStartedError(`the app was not started: ${prepared.failure}`);
    const network = await this.networkName();
    const envFile = await this.secretsFile();
    const { env, ...rest } = variant;
    const request: RunRequest = {
      image: this.image,
      name: this.nextName(purpose),
      publish: [{ containerPort: this.target.port, hostIp: '127.0.0.1' }],
      labels: this.labels(),
      ...(envFile ? { envFile } : {}),
      ...(network ? { network } : {}),
      ...rest,
      env: { ...this.settings.plain, ...env },
    };
    const id = await this.track(() => this.engine.run(request));
    this.ids.add(id);
    const startedAt = Date.now();
    const { host, port } = await this.track(() => this.engine.hostPort(id, this.target.port));
    if (host !== '127.0.0.1') throw new Error(`the engine published port ${this.target.port} on ${host}`);
    return { id, baseUrl: `http://${host}:${port}`, startedAt, command: describeRun(request) };
  }

  async runOnce(
    request: Pick<RunRequest, 'entrypoint' | 'command' | 'user'>,
    timeoutMs?: number,
  ): Promise<{ stdout: string; stderr: string; code: number | null }> {
    const full: RunRequest = {
      image: this.image,
      name: this.nextName('probe'),
      labels: this.labels(),
      network: 'none',
      ...request,
    };
    return this.track(() => this.engine.runOnce(full, timeoutMs));
  }

  /**
   * Removes everything this run made; safe to call more than once and on every path. Waits for
   * starts in flight first, so that a container created during an interrupt is not missed.
   * Returns the ids still present afterwards (none, unless the engine refused).
   */
  async cleanup(): Promise<string[]> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    let leftovers: string[] = [];
    const network = await this.network?.catch(() => undefined);
    try {
      const labelled = await this.engine.containersWithLabel(this.label);
      await this.engine.removeContainers([...new Set([...this.ids, ...labelled])]);
      leftovers = await this.engine.containersWithLabel(this.label);
      // After the containers: a network with members cannot be removed.
      if (this.network) {
        const networks = await this.engine.networksWithLabel(this.label);
        await this.engine.removeNetworks([...(network ? [network] : []), ...networks]);
        leftovers.push(...(await this.engine.networksWithLabel(this.label)).map((n) => `network ${n}`));
      }
    } catch {
      // The engine went away: removing by id is all that is left to try.
      await this.engine.removeContainers([...this.ids]).catch(() => undefined);
      if (network) await this.engine.removeNetworks([network]).catch(() => undefined);
    }
    const dir = await this.envDir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
    this.envDir = undefined;
    return leftovers;
  }
}

/** The migration's own deadline: a real schema migration can take a while, a hung one must not. */
const MIGRATION_TIMEOUT_MS = 300_000;

/** The run as a user would type it; only variable names appear, never their values. */
function describeRun(request: RunRequest): string {
  const parts = ['run', '--detach'];
  for (const port of request.publish ?? []) parts.push('--publish', `127.0.0.1::${port.containerPort}`);
  for (const key of Object.keys(request.env ?? {})) parts.push('--env', key);
  if (request.network) parts.push('--network', "<the run's private network>");
  if (request.envFile) parts.push('--env-file', '<0600 temp file>');
  if (request.user) parts.push('--user', request.user);
  if (request.readOnlyRootFilesystem) parts.push('--read-only');
  if (request.healthIntervalSeconds) parts.push('--health-interval', `${request.healthIntervalSeconds}s`);
  for (const path of request.tmpfs ?? []) parts.push('--tmpfs', path);
  for (const cap of request.capDrop ?? []) parts.push('--cap-drop', cap);
  for (const opt of request.securityOpt ?? []) parts.push('--security-opt', opt);
  for (const [host, container] of Object.entries(request.binds ?? {})) {
    parts.push('--mount', `type=bind,source=${host},target=${container},readonly`);
  }
  parts.push(request.image);
  return parts.join(' ');
}

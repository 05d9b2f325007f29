import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ContainerEngine, OWNER_LABEL, type RunRequest } from '../engines/engine.js';
import type { RunningApp, RunVariant } from './check.js';
import { envFileText, type SettingsSupply } from './settings-values.js';
import type { VerifyTarget } from './target.js';

/** Label key whose value is unique to one verify run: cleanup finds the run's containers by it. */
export const RUN_LABEL = 'io.slipway.verify.run';

/**
 * Owns every container one verify run makes. Each carries OWNER_LABEL and the run's own label,
 * and a name derived from the run id, so that one started while an interrupt arrives (its id not
 * yet known) is still found and removed.
 */
export class VerifySession {
  readonly runId = `${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  private readonly ids = new Set<string>();
  private readonly pending = new Set<Promise<unknown>>();
  private envDir: Promise<string> | undefined;
  private envFile: Promise<string | undefined> | undefined;
  private count = 0;
  private closed = false;

  constructor(
    private readonly engine: ContainerEngine,
    private readonly image: string,
    private readonly target: VerifyTarget,
    private readonly settings: SettingsSupply,
  ) {}

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
    const envFile = await this.secretsFile();
    const { env, ...rest } = variant;
    const request: RunRequest = {
      image: this.image,
      name: this.nextName(purpose),
      publish: [{ containerPort: this.target.port, hostIp: '127.0.0.1' }],
      labels: this.labels(),
      ...(envFile ? { envFile } : {}),
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
    try {
      const labelled = await this.engine.containersWithLabel(this.label);
      await this.engine.removeContainers([...new Set([...this.ids, ...labelled])]);
      leftovers = await this.engine.containersWithLabel(this.label);
    } catch {
      // The engine went away: removing by id is all that is left to try.
      await this.engine.removeContainers([...this.ids]).catch(() => undefined);
    }
    const dir = await this.envDir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
    this.envDir = undefined;
    return leftovers;
  }
}

/** The run as a user would type it; only variable names appear, never their values. */
function describeRun(request: RunRequest): string {
  const parts = ['run', '--detach'];
  for (const port of request.publish ?? []) parts.push('--publish', `127.0.0.1::${port.containerPort}`);
  for (const key of Object.keys(request.env ?? {})) parts.push('--env', key);
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

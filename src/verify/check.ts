import type { ContainerEngine, ImageInfo, RunRequest } from '../engines/engine.js';
import type { Result, ResultStatus, Unit } from '../result.js';
import type { Preparation } from './services/prepare.js';
import type { SettingsSupply } from './settings-values.js';
import type { VerifyTarget } from './target.js';

/**
 * One verify check: a small unit with an id, a title and a hint, registered in checks/index.ts.
 * Checks never start or remove containers through the engine themselves: they ask the context,
 * which labels and tracks everything so that the runner can remove it on every path.
 */
export interface VerifyCheck extends Unit<CheckContext, Promise<CheckOutcome>> {
  /** Ids of checks that must have passed first; otherwise this one is skipped, naming them. */
  readonly requires?: readonly string[];
}

export interface CheckOutcome {
  readonly status: ResultStatus;
  /** One sentence: what was found. */
  readonly message: string;
  /** Numbers, commands and their (trimmed) output. */
  readonly evidence: readonly string[];
  readonly hint?: string;
}

/** How often verify's standard container runs the image's HEALTHCHECK command, seconds. */
export const VERIFY_HEALTH_INTERVAL_SECONDS = 1;

/**
 * The health interval the standard container runs with: the image's own unless it is slower than
 * VERIFY_HEALTH_INTERVAL_SECONDS (the engine default is 30 s), so that the health state moves in
 * seconds. Only the schedule changes: the command, its timeout and retries are the image's.
 */
export function verifyHealthInterval(info: ImageInfo): number | undefined {
  const interval = info.healthcheck ? info.healthcheck.intervalMs || 30_000 : 0;
  return interval > VERIFY_HEALTH_INTERVAL_SECONDS * 1000 ? VERIFY_HEALTH_INTERVAL_SECONDS : undefined;
}

/** A container started for verify, with its published port on loopback. */
export interface RunningApp {
  readonly id: string;
  /** e.g. `http://127.0.0.1:49153`. */
  readonly baseUrl: string;
  /** Date.now() when `run` returned: the origin of time-to-listen and time-to-alive. */
  readonly startedAt: number;
  /** The engine command that started it, for evidence (values never appear in it). */
  readonly command: string;
}

export type RunVariant = Pick<
  RunRequest,
  | 'user'
  | 'readOnlyRootFilesystem'
  | 'tmpfs'
  | 'capDrop'
  | 'securityOpt'
  | 'binds'
  | 'env'
  | 'healthIntervalSeconds'
>;

export interface CheckContext {
  readonly engine: ContainerEngine;
  readonly image: string;
  readonly imageInfo: ImageInfo;
  readonly target: VerifyTarget;
  /**
   * `uid:gid` the app runs as in the pod: the image's numeric non-root User, or else the target's
   * (the generated securityContext sets runAsUser/runAsGroup whatever the image says).
   */
  readonly runtimeUser: string;
  readonly settings: SettingsSupply;
  /** The image started as it is, with the settings supplied; one per run, started on first use. */
  standard(): Promise<RunningApp>;
  /** A fresh container with the settings supplied and the given restrictions. */
  start(variant: RunVariant, purpose: string): Promise<RunningApp>;
  /** Removes a container started with `start` once a check is done with it (cleanup would anyway). */
  discard(app: RunningApp): Promise<void>;
  /** A path inside the run's private temp folder (0700, removed on every path at cleanup). */
  scratch(name: string): Promise<string>;
  /** A one-off container (no network, the given user) that runs a program and is removed. */
  runOnce(
    request: Pick<RunRequest, 'entrypoint' | 'command' | 'user'>,
    timeoutMs?: number,
  ): Promise<{ stdout: string; stderr: string; code: number | null }>;
  /** Results of the checks run so far. */
  readonly results: ReadonlyMap<string, Result>;
  /**
   * The companion services started and the migration run (once per run; the app starts after it).
   * Its outcome, for the checks that report it.
   */
  prepared(): Promise<Preparation>;
}

export const pass = (message: string, evidence: readonly string[] = []): CheckOutcome => ({
  status: 'pass',
  message,
  evidence,
});

export const fail = (message: string, evidence: readonly string[] = [], hint?: string): CheckOutcome => ({
  status: 'fail',
  message,
  evidence,
  ...(hint ? { hint } : {}),
});

export const skip = (message: string, evidence: readonly string[] = []): CheckOutcome => ({
  status: 'skip',
  message,
  evidence,
});

/** The last lines of a program's output, for evidence that stays readable. */
export function tail(text: string, lines = 12, width = 300): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-lines)
    .map((line) => (line.length > width ? `${line.slice(0, width)}…` : line));
}

/** `cmd arg…` as a user would type it, for evidence. */
export function shown(command: readonly string[]): string {
  return command.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

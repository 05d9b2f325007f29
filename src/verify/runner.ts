import type { ContainerEngine, ImageInfo } from '../engines/engine.js';
import { EnvironmentError, ExitCode, SlipwayError } from '../errors.js';
import { numericUser } from '../policy/user.js';
import type { Result } from '../result.js';
import { forgetSavedImages } from '../scan/image.js';
import {
  type CheckContext,
  type CheckOutcome,
  type RunningApp,
  type VerifyCheck,
  verifyHealthInterval,
} from './check.js';
import { BUILTIN_CHECKS } from './checks/index.js';
import { runScheduled } from './schedule.js';
import { migrateCheck, servicesCheck } from './services/checks.js';
import { planServices, withServiceSettings } from './services/plan.js';
import { AppNotStartedError, VerifySession } from './session.js';
import { redact, supplySettings } from './settings-values.js';
import { defaultTarget, type VerifyTarget } from './target.js';

export interface VerifyOptions {
  readonly engine: ContainerEngine;
  /** Image reference or id to verify; it must exist locally. */
  readonly image: string;
  /** What the image should do. @default defaultTarget() (port 8000, /healthz, uid 10001) */
  readonly target?: VerifyTarget;
  /**
   * Checks run after the built-in ones, with the same context, lifecycle and reporting. This is
   * where `slipway scan` plugs in (a check with id `verify.scan` that reads the image).
   */
  readonly extraChecks?: readonly VerifyCheck[];
  /** Run only the checks with these ids (a check whose requirement is left out is skipped). */
  readonly only?: readonly string[];
  /** Called before each check, for live progress. */
  readonly onCheckStart?: (check: Pick<VerifyCheck, 'id' | 'title'>) => void;
  /** Called with each result as soon as it is known. */
  readonly onResult?: (result: Result) => void;
  /** Where interrupts come from and go back to. @default the current process */
  readonly signals?: SignalHost;
}

export interface VerifyReport {
  readonly image: string;
  readonly imageId: string;
  /** Value of the run label that every container of this run carried. */
  readonly runId: string;
  readonly results: readonly Result[];
  readonly durationMs: number;
  /** No check failed. */
  readonly ok: boolean;
  /** Containers the engine would not remove (normally none). */
  readonly leftovers: readonly string[];
}

/** The part of `process` the runner uses for Ctrl-C and SIGTERM; tests pass a fake. */
export interface SignalHost {
  readonly pid: number;
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): void;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): void;
  kill(pid: number, signal: NodeJS.Signals): void;
}

const processSignals: SignalHost = {
  pid: process.pid,
  on: (signal, listener) => void process.on(signal, listener),
  off: (signal, listener) => void process.off(signal, listener),
  kill: (pid, signal) => void process.kill(pid, signal),
};

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Checks run side by side, each as soon as the checks it requires are done: most of verify's time
 * is waiting (for a start, a probe, a shutdown), not work.
 */
const CONCURRENT_CHECKS = 4;

/** Verify was interrupted; everything it started has been removed. */
export class VerifyInterruptedError extends SlipwayError {
  constructor(readonly signal: NodeJS.Signals) {
    super(`verify interrupted by ${signal}; its containers were removed`, { exitCode: ExitCode.Usage });
  }
}

/**
 * Runs every check against one image and returns their results. The runner owns the container
 * lifecycle: whatever happens (a failing check, an exception, Ctrl-C or SIGTERM) the containers
 * of this run are removed before it returns, and an interrupt is passed on afterwards.
 */
export async function verifyImage(options: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const { engine, image } = options;
  const target = options.target ?? defaultTarget();
  const imageInfo = await engine.inspectImage(image);
  if (!imageInfo) {
    throw new EnvironmentError(`image ${image} is not present in the ${engine.kind} engine`, {
      fix: `slipway build, or ${engine.kind} pull ${image}`,
    });
  }
  const plans = planServices(target.services);
  const settings = withServiceSettings(supplySettings(target.settings), plans, target.settings);
  const secrets = [
    ...Object.values(settings.secret),
    ...plans.flatMap((plan) => Object.values(plan.secretEnv)),
  ];
  const runtimeUser = runtimeUserOf(imageInfo, target);
  const session = new VerifySession(engine, image, target, settings, { plans, runtimeUser });
  const checks = selectChecks([...withPreparation(target), ...(options.extraChecks ?? [])], options.only);

  const signals = options.signals ?? processSignals;
  let interrupted: NodeJS.Signals | undefined;
  let onInterrupt: (signal: NodeJS.Signals) => void = () => undefined;
  const interruption = new Promise<never>((_, reject) => {
    onInterrupt = (signal) => {
      if (interrupted) return;
      interrupted = signal;
      reject(new VerifyInterruptedError(signal));
    };
  });
  interruption.catch(() => undefined);
  for (const signal of SIGNALS) signals.on(signal, onInterrupt);

  const results = new Map<string, Result>();
  let leftovers: string[] = [];
  try {
    const context = makeContext(session, engine, image, imageInfo, target, settings, results, runtimeUser);
    const all = runScheduled(
      checks,
      CONCURRENT_CHECKS,
      async (check) => {
        options.onCheckStart?.({ id: check.id, title: check.title });
        const result = scrub(await runCheck(check, context, results), secrets);
        if (interrupted) return;
        results.set(check.id, result);
        options.onResult?.(result);
      },
      () => interrupted !== undefined,
    );
    await Promise.race([all, interruption]);
  } catch (error) {
    if (!interrupted) throw error;
  } finally {
    leftovers = await session.cleanup();
    for (const signal of SIGNALS) signals.off(signal, onInterrupt);
  }
  if (interrupted) {
    // The signal ends the process without its 'exit' handlers: the scan's saved archives go now.
    forgetSavedImages();
    // Handlers are gone: sending the signal again ends the process the way it was asked to.
    signals.kill(signals.pid, interrupted);
    throw new VerifyInterruptedError(interrupted);
  }
  // In the order of the checks, whatever order they finished in.
  const list = checks.flatMap((check) => results.get(check.id) ?? []);
  return {
    image,
    imageId: imageInfo.id,
    runId: session.runId,
    results: list,
    durationMs: Date.now() - started,
    ok: !list.some((result) => result.status === 'fail'),
    leftovers,
  };
}

/** The built-in checks, with the services and migration checks before the app's start when there are any. */
function withPreparation(target: VerifyTarget): VerifyCheck[] {
  const before = [
    ...(target.services.length > 0 ? [servicesCheck] : []),
    ...(target.migration ? [migrateCheck] : []),
  ];
  const at = BUILTIN_CHECKS.findIndex((check) => check.id === 'verify.starts');
  return [...BUILTIN_CHECKS.slice(0, at), ...before, ...BUILTIN_CHECKS.slice(at)];
}

/**
 * `uid:gid` the app runs as in the pod: the image's numeric non-root User, or else the target's
 * (the generated securityContext sets runAsUser/runAsGroup whatever the image says).
 */
function runtimeUserOf(imageInfo: ImageInfo, target: VerifyTarget): string {
  const numeric = numericUser(imageInfo.user);
  return numeric && numeric.uid !== 0 ? imageInfo.user : `${target.uid}:${target.gid}`;
}

function selectChecks(checks: readonly VerifyCheck[], only: readonly string[] | undefined): VerifyCheck[] {
  const ids = new Set<string>();
  for (const check of checks) {
    if (ids.has(check.id)) throw new Error(`two verify checks share the id ${check.id}`);
    ids.add(check.id);
  }
  return only ? checks.filter((check) => only.includes(check.id)) : [...checks];
}

function makeContext(
  session: VerifySession,
  engine: ContainerEngine,
  image: string,
  imageInfo: ImageInfo,
  target: VerifyTarget,
  settings: CheckContext['settings'],
  results: ReadonlyMap<string, Result>,
  runtimeUser: string,
): CheckContext {
  let standard: Promise<RunningApp> | undefined;
  return {
    engine,
    image,
    imageInfo,
    target,
    settings,
    results,
    runtimeUser,
    prepared: () => session.prepare(),
    standard: () => {
      const healthIntervalSeconds = verifyHealthInterval(imageInfo);
      standard ??= session.start(healthIntervalSeconds ? { healthIntervalSeconds } : {}, 'app');
      return standard;
    },
    start: (variant, purpose) => session.start(variant, purpose),
    discard: async (app) => engine.removeContainers([app.id]),
    runOnce: (request, timeoutMs) => session.runOnce(request, timeoutMs),
    scratch: (name) => session.scratch(name),
  };
}

async function runCheck(
  check: VerifyCheck,
  context: CheckContext,
  results: ReadonlyMap<string, Result>,
): Promise<Result> {
  const start = Date.now();
  const unmet = (check.requires ?? []).filter((id) => results.get(id)?.status !== 'pass');
  let outcome: CheckOutcome;
  if (unmet.length > 0) {
    const how = unmet.map((id) => `${id} ${results.get(id)?.status === 'fail' ? 'failed' : 'did not run'}`);
    outcome = { status: 'skip', message: `skipped: ${how.join(', ')}`, evidence: [] };
  } else {
    try {
      outcome = await check.run(context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome =
        error instanceof AppNotStartedError
          ? { status: 'skip', message: `skipped: ${message.split('\n')[0]}`, evidence: [] }
          : {
              status: 'fail',
              message: `the check could not run: ${message.split('\n')[0]}`,
              evidence: message.split('\n').slice(1, 12),
            };
    }
  }
  return {
    id: check.id,
    title: check.title,
    status: outcome.status,
    severity: check.severity,
    docs: check.docs,
    message: outcome.message,
    ...(outcome.status === 'fail' ? { hint: outcome.hint ?? check.hint } : {}),
    evidence: outcome.evidence,
    durationMs: Date.now() - start,
  };
}

/** No secret value leaves the runner, whatever a check or the app printed. */
function scrub(result: Result, secrets: readonly string[]): Result {
  if (secrets.length === 0) return result;
  return {
    ...result,
    message: redact(result.message, secrets),
    evidence: (result.evidence ?? []).map((line) => redact(line, secrets)),
  };
}

import type { ContainerEngine } from '../engines/engine.js';
import type { RunningApp } from './check.js';
import { poll, sleep, tryGet } from './http.js';
import type { LivenessProbe } from './liveness.js';

export interface Readiness {
  readonly ok: boolean;
  /** From `run` to the first HTTP answer of any status: the app had bound its port. */
  readonly listenMs: number | undefined;
  /** From `run` to the first answer the probe accepts. */
  readonly first200Ms: number | undefined;
  /** The path whose answer was accepted. */
  readonly path: string | undefined;
  readonly attempts: number;
  /** Why it never answered as wanted: the last answer or error, or that the container exited. */
  readonly reason: string | undefined;
  /** Set when the container stopped while waiting. */
  readonly exitCode: number | undefined;
  /** The last HTTP status of each path asked (absent: no HTTP answer at all). */
  readonly lastStatus: Readonly<Record<string, number>>;
  /** The last connection error, when the port never answered. */
  readonly lastError: string | undefined;
}

const NOT_FOUND_FINAL_MS = 3_000;
/** How long one attempt waits for its answer before the next attempt asks again beside it. */
const HEDGE_MS = 300;
/** Requests left waiting at once, at most. */
const MAX_PENDING = 6;

/**
 * Polls the probe's paths until one is accepted, watching the container so that a crash ends the
 * wait at once. Time is measured from the moment `run` returned, as a user would feel it.
 */
export async function waitReady(
  engine: ContainerEngine,
  app: RunningApp,
  probe: LivenessProbe,
  deadlineMs: number,
): Promise<Readiness> {
  let listenMs: number | undefined;
  let last = 'no answer';
  let lastError: string | undefined;
  let exitCode: number | undefined;
  // Routes exist once the server listens: a 404 that lasts is the answer, not a slow start.
  let notFoundSince: number | undefined;
  const lastStatus: Record<string, number> = {};
  const remaining = Math.max(0, deadlineMs - (Date.now() - app.startedAt));
  let accepted: { ms: number; path: string } | undefined;
  let pending = 0;
  // Requests still waiting when the wait ends are dropped, not left to their timeouts.
  const done = new AbortController();
  // Every answer counts when it comes, even one to a request an earlier attempt left waiting.
  const consider = (path: string, answer: Awaited<ReturnType<typeof tryGet>>): void => {
    if ('error' in answer) {
      last = lastError = answer.error;
      return;
    }
    listenMs ??= Date.now() - app.startedAt;
    lastStatus[path] = answer.status;
    notFoundSince = answer.status === 404 ? (notFoundSince ?? Date.now()) : undefined;
    if (probe.accepts(answer.status)) accepted ??= { ms: Date.now() - app.startedAt, path };
    else last = `GET ${path} → ${answer.status}: ${answer.body.replace(/\s+/g, ' ').slice(0, 200)}`;
  };
  const outcome = await poll(
    async () => {
      for (const path of probe.paths) {
        if (accepted) return accepted;
        if (pending >= MAX_PENDING) return undefined;
        pending++;
        const request = tryGet(`${app.baseUrl}${path}`, undefined, done.signal).then((answer) => {
          pending--;
          if (!done.signal.aborted) consider(path, answer);
          return answer;
        });
        // A connection made while the container's port is still being wired can hang with no
        // answer and no reset: leave it waiting (its answer still counts) and ask again.
        const answer = await Promise.race([request, sleep(HEDGE_MS).then(() => undefined)]);
        if (accepted) return accepted;
        if (answer === undefined || 'error' in answer) return undefined;
      }
      return undefined;
    },
    {
      deadlineMs: remaining,
      intervalMs: 100,
      giveUp: async () => {
        const state = await engine.state(app.id).catch(() => undefined);
        if (state && !state.running) {
          exitCode = state.exitCode;
          return `the container exited with code ${state.exitCode}${state.oomKilled ? ' (OOM-killed)' : ''}`;
        }
        if (probe.route && notFoundSince !== undefined && Date.now() - notFoundSince >= NOT_FOUND_FINAL_MS) {
          return `GET ${probe.paths.join(', ')} answered 404 for ${NOT_FOUND_FINAL_MS / 1000} s`;
        }
        return undefined;
      },
    },
  );
  done.abort(new Error('the wait for the app is over'));
  return {
    ok: outcome.ok,
    listenMs,
    first200Ms: outcome.ok ? outcome.value.ms : undefined,
    path: outcome.ok ? outcome.value.path : undefined,
    attempts: outcome.attempts,
    reason: outcome.ok
      ? undefined
      : `${outcome.reason.startsWith('deadline') ? `the ${deadlineMs / 1000} s deadline passed` : outcome.reason} (last: ${last})`,
    exitCode,
    lastStatus,
    lastError,
  };
}

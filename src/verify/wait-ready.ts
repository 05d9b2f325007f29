import type { ContainerEngine } from '../engines/engine.js';
import type { RunningApp } from './check.js';
import { poll, tryGet } from './http.js';

export interface Readiness {
  readonly ok: boolean;
  /** From `run` to the first HTTP answer of any status: the app had bound its port. */
  readonly listenMs: number | undefined;
  /** From `run` to the first 200 of the path. */
  readonly first200Ms: number | undefined;
  readonly attempts: number;
  /** Why it never answered 200: the last answer or error, or that the container exited. */
  readonly reason: string | undefined;
  /** Set when the container stopped while waiting. */
  readonly exitCode: number | undefined;
}

/**
 * Polls a path until it answers 200, watching the container so that a crash ends the wait at once.
 * Time is measured from the moment `run` returned, as a user would feel it.
 */
export async function waitReady(
  engine: ContainerEngine,
  app: RunningApp,
  path: string,
  deadlineMs: number,
): Promise<Readiness> {
  let listenMs: number | undefined;
  let last = 'no answer';
  let exitCode: number | undefined;
  const remaining = Math.max(0, deadlineMs - (Date.now() - app.startedAt));
  const outcome = await poll(
    async () => {
      const answer = await tryGet(`${app.baseUrl}${path}`);
      if ('error' in answer) {
        last = answer.error;
        return undefined;
      }
      listenMs ??= Date.now() - app.startedAt;
      if (answer.status === 200) return Date.now() - app.startedAt;
      last = `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
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
        return undefined;
      },
    },
  );
  return {
    ok: outcome.ok,
    listenMs,
    first200Ms: outcome.ok ? outcome.value : undefined,
    attempts: outcome.attempts,
    reason: outcome.ok
      ? undefined
      : `${exitCode === undefined ? `the ${deadlineMs / 1000} s deadline passed` : outcome.reason} (last: ${last})`,
    exitCode,
  };
}

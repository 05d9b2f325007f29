/**
 * HTTP as verify uses it: loopback only (host ports are published on 127.0.0.1), every request
 * bounded in time, and polling bounded in both time and attempts.
 */

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

const LOOPBACK = /^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?\//;

export function assertLoopback(url: string): void {
  if (!LOOPBACK.test(url)) throw new Error(`verify only talks to loopback addresses, not ${url}`);
}

export async function httpGet(url: string, timeoutMs = 5_000, signal?: AbortSignal): Promise<HttpAnswer> {
  assertLoopback(url);
  const start = Date.now();
  // A ref'd timer, not AbortSignal.timeout: that one is unref'd, and a fetch still connecting
  // holds no handle of its own, so the CLI process could exit in the middle of a wait.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  const abandon = () => controller.abort(signal?.reason ?? new Error('abandoned'));
  if (signal?.aborted) abandon();
  signal?.addEventListener('abort', abandon, { once: true });
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'manual' });
    const body = await response.text();
    return { status: response.status, body, ms: Date.now() - start };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abandon);
  }
}

/** One attempt; a refused or reset connection is an answer of its own kind, not an exception. */
export async function tryGet(
  url: string,
  timeoutMs = 2_000,
  signal?: AbortSignal,
): Promise<HttpAnswer | { error: string }> {
  try {
    return await httpGet(url, timeoutMs, signal);
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

export interface PollOptions {
  readonly deadlineMs: number;
  /** @default 200 */
  readonly intervalMs?: number;
  /** Stop early (e.g. the container exited); returns why. */
  readonly giveUp?: () => Promise<string | undefined>;
}

export type PollOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly elapsedMs: number; readonly attempts: number }
  | { readonly ok: false; readonly reason: string; readonly elapsedMs: number; readonly attempts: number };

/** Calls `attempt` until it returns a value, the deadline passes, or `giveUp` says why not. */
export async function poll<T>(
  attempt: () => Promise<T | undefined>,
  options: PollOptions,
): Promise<PollOutcome<T>> {
  const start = Date.now();
  const interval = options.intervalMs ?? 200;
  const maxAttempts = Math.ceil(options.deadlineMs / interval) + 1;
  let attempts = 0;
  while (attempts < maxAttempts) {
    attempts++;
    const value = await attempt();
    if (value !== undefined) return { ok: true, value, elapsedMs: Date.now() - start, attempts };
    const reason = await options.giveUp?.();
    if (reason) return { ok: false, reason, elapsedMs: Date.now() - start, attempts };
    if (Date.now() - start >= options.deadlineMs) break;
    await sleep(interval);
  }
  return {
    ok: false,
    reason: `deadline of ${options.deadlineMs} ms passed`,
    elapsedMs: Date.now() - start,
    attempts,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { assertLoopback, poll, tryGet } from '../../src/verify/http.js';

/**
 * Polls a loopback URL until it answers with `status`, bounded in attempts and time. The same
 * loopback-only, bounded polling that verify uses (src/verify/http.ts).
 */
export async function waitForStatus(
  url: string,
  status = 200,
  { deadlineMs = 60_000, intervalMs = 250 } = {},
): Promise<{ elapsedMs: number; body: string }> {
  assertLoopback(url);
  let last = 'no answer';
  const outcome = await poll(
    async () => {
      const answer = await tryGet(url);
      if ('error' in answer) last = answer.error;
      else if (answer.status === status) return answer.body;
      else last = `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
      return undefined;
    },
    { deadlineMs, intervalMs },
  );
  if (!outcome.ok) throw new Error(`${url} did not answer ${status} within ${deadlineMs} ms (last: ${last})`);
  return { elapsedMs: outcome.elapsedMs, body: outcome.value };
}

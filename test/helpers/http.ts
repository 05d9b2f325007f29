/** Polls a loopback URL until it answers with `status`, bounded in attempts and time. */
export async function waitForStatus(
  url: string,
  status = 200,
  { deadlineMs = 60_000, intervalMs = 250 } = {},
): Promise<{ elapsedMs: number; body: string }> {
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/]/.test(url)) {
    throw new Error(`tests only talk to loopback, not ${url}`);
  }
  const start = Date.now();
  let last = 'no answer';
  while (Date.now() - start < deadlineMs) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      if (response.status === status) return { elapsedMs: Date.now() - start, body };
      last = `HTTP ${response.status}: ${body.slice(0, 200)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} did not answer ${status} within ${deadlineMs} ms (last: ${last})`);
}

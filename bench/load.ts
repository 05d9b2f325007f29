import { Agent, request } from 'node:http';

export interface LoadRequest {
  /** Loopback only: the bench never sends traffic off this machine. */
  readonly port: number;
  readonly path: string;
  readonly concurrency: number;
  readonly durationMs: number;
  /** Stop early once this many requests were sent, whatever the duration. */
  readonly maxRequests: number;
}

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

const HOST = '127.0.0.1';
const REQUEST_TIMEOUT_MS = 5_000;

/** One GET; resolves with the status code, or 0 on a network error or timeout. */
export function get(port: number, path: string, agent?: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: HOST, port, path, agent: agent ?? false, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * A closed-loop load: `concurrency` workers on kept-alive connections, each sending its next
 * request when the previous answer arrived, until the duration or the request cap is reached.
 */
export async function runLoad(load: LoadRequest): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: load.concurrency });
  let sent = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + load.durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && sent < load.maxRequests) {
      sent += 1;
      const status = await get(load.port, load.path, agent);
      if (status === 200) ok += 1;
      else failed += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: load.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { ok, failed, elapsedMs: performance.now() - started };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../../src/engines/engine.js';
import type { LivenessProbe } from '../../../src/verify/liveness.js';
import { waitReady } from '../../../src/verify/wait-ready.js';

const PROBE: LivenessProbe = {
  paths: ['/healthz'],
  accepts: (status) => status === 200,
  describe: 'GET /healthz → 200',
  route: true,
};

/** Only `state` is asked: the container keeps running, or has exited with a code. */
function engineWith(state: { running: boolean; exitCode?: number }): ContainerEngine {
  return {
    state: async () => ({ running: state.running, exitCode: state.exitCode ?? 0, oomKilled: false }),
  } as unknown as ContainerEngine;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    }),
  );
});

/** A server that answers each request with `answer(n)` (n from 1); `undefined` leaves it hanging. */
async function serve(answer: (n: number) => number | undefined, events: string[]): Promise<string> {
  let count = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    count += 1;
    const n = count;
    events.push(`request ${n}`);
    request.socket.on('close', () => events.push(`closed ${n}`));
    const status = answer(n);
    if (status === undefined) return;
    response.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    events.push(`answered ${n} ${status}`);
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const app = (baseUrl: string) => ({ id: 'c1', baseUrl, startedAt: Date.now(), command: 'run' });

describe('waitReady', () => {
  it('asks again beside a request that hangs, and drops the hung one once the app answered', async () => {
    const events: string[] = [];
    // The first connection is never answered, as one made while the port is still being wired.
    const baseUrl = await serve((n) => (n === 1 ? undefined : 200), events);
    const ready = await waitReady(engineWith({ running: true }), app(baseUrl), PROBE, 20_000);
    expect(ready.ok).toBe(true);
    expect(ready.path).toBe('/healthz');
    await new Promise((done) => setTimeout(done, 100));
    // Answered while the first request still hung; that one was given up after, not waited out.
    const answered = events.indexOf('answered 2 200');
    expect(answered).toBeGreaterThan(-1);
    expect(events.indexOf('closed 1')).toBeGreaterThan(answered);
  });

  it('takes the late answer of a slow first request when it is the one that comes', async () => {
    const events: string[] = [];
    let release: (() => void) | undefined;
    const baseUrl = await serve((n) => (n === 1 ? undefined : 503), events);
    // Only the first request will ever be answered 200: later ones get 503.
    const server = servers.at(-1) as Server;
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
      if (!release) release = () => response.writeHead(200).end('ok');
    });
    setTimeout(() => release?.(), 700);
    const ready = await waitReady(engineWith({ running: true }), app(baseUrl), PROBE, 20_000);
    expect(ready.ok).toBe(true);
    expect(ready.listenMs).toBeDefined();
    expect(ready.lastStatus['/healthz']).toBeDefined();
  });

  it('fails with the last answer when the app never accepts, and ends when the container exits', async () => {
    const events: string[] = [];
    const baseUrl = await serve(() => 500, events);
    const refused = await waitReady(engineWith({ running: true }), app(baseUrl), PROBE, 1_000);
    expect(refused.ok).toBe(false);
    expect(refused.reason).toMatch(/deadline passed \(last: GET \/healthz → 500/);
    const exited = await waitReady(engineWith({ running: false, exitCode: 3 }), app(baseUrl), PROBE, 20_000);
    expect(exited.ok).toBe(false);
    expect(exited.exitCode).toBe(3);
    expect(exited.reason).toMatch(/exited with code 3/);
  });
});

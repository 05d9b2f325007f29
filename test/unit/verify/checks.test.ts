import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../src/result.js';
import { numericUser } from '../../../src/verify/checks/non-root.js';
import { parseProcStatus } from '../../../src/verify/proc-status.js';
import { type SignalHost, verifyImage } from '../../../src/verify/runner.js';
import { defaultTarget } from '../../../src/verify/target.js';
import {
  FakeEngine,
  GOOD_IMAGE,
  GOOD_ROUTES,
  PROC_STATUS,
  portOf,
  type Route,
  startFakeApp,
} from './fake-engine.js';

const target = defaultTarget({
  health: { liveness: '/healthz', readiness: '/readyz' },
  settings: [
    {
      importPath: 'app.settings:Settings',
      vars: [
        { name: 'APP_GREETING', field: 'greeting', type: 'str', secret: false, required: true },
        { name: 'APP_API_KEY', field: 'api_key', type: 'SecretStr', secret: true, required: true },
        { name: 'APP_LEVEL', field: 'level', type: 'LogLevel', secret: false, required: true },
      ],
    },
  ],
  startDeadlineSeconds: 2,
  gracePeriodSeconds: 1,
  healthDeadlineSeconds: 1,
});

const signals: SignalHost = Object.assign(new EventEmitter(), { pid: 1, kill: () => undefined });

describe('verify checks, each seen to pass and to fail', () => {
  const routes: { current: Route } = { current: GOOD_ROUTES };
  let server: Server;
  let engine: FakeEngine;

  beforeAll(async () => {
    server = await startFakeApp(routes);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    routes.current = GOOD_ROUTES;
    engine = new FakeEngine(() => portOf(server));
  });

  const check = async (id: string, extra: string[] = []): Promise<Result> => {
    const report = await verifyImage({ engine, image: 'fake', target, signals, only: [...extra, id] });
    const result = report.results.find((r) => r.id === id);
    if (!result) throw new Error(`${id} did not run`);
    expect(engine.containers.size).toBe(0);
    return result;
  };

  it('verify.size reports MB and fails over the budget with the largest layers', async () => {
    expect((await check('verify.size')).message).toBe('120.0 MB, under the 300 MB budget');
    engine.behaviour.image = { ...GOOD_IMAGE, size: 315_000_000 };
    const result = await check('verify.size');
    expect(result).toMatchObject({
      status: 'fail',
      message: '315.0 MB is over the 300 MB budget by 15.0 MB',
    });
    expect(result.evidence).toContain('layer 100.0 MB: COPY /app/.venv /app/.venv');
  });

  it('verify.non-root parses users and compares the running uid', async () => {
    expect(numericUser('10001:10001')).toEqual({ uid: 10001, gid: 10001 });
    expect(numericUser('10001')).toEqual({ uid: 10001, gid: undefined });
    expect(numericUser('app')).toBeUndefined();
    expect(numericUser('app:10001')).toBeUndefined();
    expect((await check('verify.non-root')).status).toBe('pass');
    for (const [user, message] of [
      ['', /sets no USER/],
      ['app', /"app" is a name/],
      ['0:0', /uid 0/],
    ] as const) {
      engine.behaviour.image = { ...GOOD_IMAGE, user };
      expect(await check('verify.non-root')).toMatchObject({
        status: 'fail',
        message: expect.stringMatching(message),
      });
    }
    engine.behaviour.image = GOOD_IMAGE;
    engine.behaviour.procStatus = PROC_STATUS.replace(/Uid:.*\n/, 'Uid:\t0\t0\t0\t0\n');
    expect((await check('verify.non-root')).message).toBe("the process runs as uid 0, not the image's 10001");
  });

  it('parses /proc/1/status', () => {
    expect(parseProcStatus(PROC_STATUS)).toMatchObject({
      uid: 10001,
      gid: 10001,
      capEff: '0000000000000000',
      noNewPrivs: true,
    });
    expect(parseProcStatus('Name: x')).toBeUndefined();
  });

  it('verify.no-build-tools lists what the build left behind', async () => {
    expect((await check('verify.no-build-tools')).status).toBe('pass');
    engine.behaviour.listing = {
      scanned: 10,
      found: [
        { kind: 'build tool', path: '/usr/local/bin/uv', size: 44_000_000 },
        { kind: 'uv cache', path: '/root/.cache/uv', size: 1_000_000 },
      ],
    };
    const result = await check('verify.no-build-tools');
    expect(result.message).toBe('found 2 leftovers of the build (build tool, uv cache)');
    expect(result.evidence).toContain('build tool: /usr/local/bin/uv (44.0 MB)');
    expect(result.evidence?.[0]).toMatch(/^\$ run --user 0:0 python3 -c <script>$/);
  });

  it('verify.code-read-only fails on writable code and allows writable data', async () => {
    engine.behaviour.access = { ...engine.behaviour.access, data: ['/app/state.json'] };
    const ok = await check('verify.code-read-only');
    expect(ok.status).toBe('pass');
    expect(ok.evidence).toContain('writable data files (allowed): /app/state.json');
    engine.behaviour.access = {
      ...engine.behaviour.access,
      writable: ['/app', '/app/main.py'],
      writableCount: 2,
    };
    const bad = await check('verify.code-read-only');
    expect(bad).toMatchObject({ status: 'fail', message: '2 code paths are writable by 10001:10001' });
    expect(bad.evidence).toContain('writable: /app/main.py');
  });

  it('verify.code-read-only tests as the target user when the image user is root or a name', async () => {
    engine.behaviour.image = { ...GOOD_IMAGE, user: 'app' };
    const users: (string | undefined)[] = [];
    engine.behaviour.onRun = (request) => users.push(request.user);
    await check('verify.code-read-only');
    expect(users).toEqual(['10001:10001']);
  });

  it('verify.answers fails on a 500 for an unknown path and on an invalid OpenAPI document', async () => {
    expect((await check('verify.answers', ['verify.starts'])).status).toBe('pass');
    routes.current = (path) =>
      path === '/openapi.json'
        ? { status: 200, body: '{"title":"no version"}' }
        : path.startsWith('/slipway-verify-')
          ? { status: 500, body: 'Internal Server Error' }
          : GOOD_ROUTES(path);
    const result = await check('verify.answers', ['verify.starts']);
    expect(result.message).toBe('2 of 4 requests did not answer as expected');
    expect(result.evidence?.join('\n')).toMatch(
      /FAILED GET \/slipway-verify-[0-9a-f]+ \(unknown path\) → 500/,
    );
    expect(result.evidence?.join('\n')).toMatch(/no `openapi` version or `paths`/);
  });

  it('verify.env-secrets compares digests and names what it could not supply', async () => {
    const ok = await check('verify.env-secrets', ['verify.starts']);
    expect(ok.status).toBe('pass');
    expect(ok.evidence).toContain(
      'not supplied: APP_LEVEL (no safe test value for type `LogLevel`; its default stays)',
    );
    engine.behaviour.settingsValues = () => ({ greeting: 'hello', api_key: 'baked-in' });
    const bad = await check('verify.env-secrets', ['verify.starts']);
    expect(bad.message).toBe('2 of 2 supplied settings did not reach the app');
    expect(bad.evidence?.join('\n')).toMatch(
      /APP_API_KEY \(secret, from the env-file\).*another value \(sha256:/,
    );
    expect(JSON.stringify(bad)).not.toMatch(/slipway-verify-[0-9a-f]{48}/);
  });

  it('verify.healthcheck fails without a HEALTHCHECK and when unhealthy', async () => {
    expect((await check('verify.healthcheck', ['verify.starts'])).status).toBe('pass');
    engine.behaviour.health = 'unhealthy';
    expect((await check('verify.healthcheck', ['verify.starts'])).message).toMatch(/marked it unhealthy/);
    engine.behaviour.image = { ...GOOD_IMAGE, healthcheck: undefined };
    expect(await check('verify.healthcheck', ['verify.starts'])).toMatchObject({
      status: 'fail',
      message: 'the image has no HEALTHCHECK',
    });
  });

  it('verify.restricted runs with the pod restrictions and fails when the app cannot start', async () => {
    const requests: unknown[] = [];
    engine.behaviour.onRun = (request) => requests.push(request);
    expect((await check('verify.restricted', ['verify.starts'])).status).toBe('pass');
    expect(requests.at(-1)).toMatchObject({
      user: '10001:10001',
      readOnlyRootFilesystem: true,
      tmpfs: ['/tmp'],
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
    });
    engine.behaviour.procStatus = PROC_STATUS.replace(/CapEff:.*/, 'CapEff:\t00000000a80425fb');
    expect((await check('verify.restricted', ['verify.starts'])).message).toMatch(/still holds capabilities/);
  });

  it('verify.graceful-shutdown fails when the process ignores SIGTERM', async () => {
    const ok = await check('verify.graceful-shutdown', ['verify.starts']);
    expect(ok.status).toBe('pass');
    expect(ok.evidence?.join('\n')).toMatch(/SIGTERM → exit code 0 after/);
    engine.kill = async () => undefined;
    const bad = await check('verify.graceful-shutdown', ['verify.starts']);
    expect(bad.message).toBe('still running 1 s after SIGTERM');
    expect(bad.hint).toMatch(/exec-form/);
  });

  it('verify.restricted fails when the process status cannot be read, and on NoNewPrivs 0', async () => {
    engine.behaviour.procStatus = '';
    const unread = await check('verify.restricted', ['verify.starts']);
    expect(unread.status).toBe('fail');
    expect(unread.message).toMatch(/could not read the process status/);
    engine.behaviour.procStatus = PROC_STATUS.replace('NoNewPrivs:\t1', 'NoNewPrivs:\t0');
    const privs = await check('verify.restricted', ['verify.starts']);
    expect(privs.message).toMatch(/no_new_privs is not set/);
    expect(privs.hint).toMatch(/allowPrivilegeEscalation: false/);
  });

  it('verify.graceful-shutdown fails when the request in flight is cut, and skips without the launcher', async () => {
    const slow =
      (answer: ReturnType<Route>): Route =>
      (path) =>
        path === '/__slipway__/slow' ? answer : GOOD_ROUTES(path);
    routes.current = slow({ status: 200, body: '', delayMs: 200, drop: true });
    const cut = await check('verify.graceful-shutdown', ['verify.starts']);
    expect(cut.status).toBe('fail');
    expect(cut.message).toMatch(/^the request in flight at SIGTERM was not answered 200 \(failed: /);
    routes.current = slow({ status: 404, body: '{"detail":"Not Found"}' });
    engine.behaviour.logs = 'INFO:     Application shutdown complete.\n';
    const unproven = await check('verify.graceful-shutdown', ['verify.starts']);
    expect(unproven.status).toBe('skip');
    expect(unproven.message).toMatch(/no request could be held in flight/);
  });

  it('verify.routes fails on a probe path the running app does not serve, with both lists', async () => {
    const report = await verifyImage({
      engine,
      image: 'fake',
      target: {
        ...target,
        health: { liveness: '/api/healthz', readiness: '/api/healthz' },
        routes: [
          { method: 'GET', path: '/api/healthz' },
          { method: 'GET', path: '/items' },
        ],
      },
      signals,
      only: ['verify.routes'],
    });
    const result = report.results[0];
    expect(result?.status).toBe('fail');
    expect(result?.message).toBe('the probe path /api/healthz is not a route of the running app');
    expect(result?.evidence).toEqual(
      expect.arrayContaining([
        'only at run time: /healthz',
        'found by analyze, not in the OpenAPI document: /items',
        'routes at run time: GET /healthz',
        'routes found by analyze: GET /api/healthz, GET /items',
      ]),
    );
    const ok = await check('verify.routes');
    expect(ok.status).toBe('pass');
  });
});

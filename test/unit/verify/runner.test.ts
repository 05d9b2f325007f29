import { EventEmitter } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { factsToLabels } from '../../../src/build/image-labels.js';
import { OWNER_LABEL, type RunRequest } from '../../../src/engines/engine.js';
import { EnvironmentError } from '../../../src/errors.js';
import { dropPrefetch, prefetchImage } from '../../../src/scan/image.js';
import type { VerifyCheck } from '../../../src/verify/check.js';
import { verifyBuilt } from '../../../src/verify/project.js';
import { type SignalHost, VerifyInterruptedError, verifyImage } from '../../../src/verify/runner.js';
import { RUN_LABEL } from '../../../src/verify/session.js';
import { defaultTarget } from '../../../src/verify/target.js';
import { FakeEngine, GOOD_IMAGE, GOOD_ROUTES, portOf, type Route, startFakeApp } from './fake-engine.js';

const target = defaultTarget({
  health: { liveness: '/healthz', readiness: '/readyz' },
  settings: [
    {
      importPath: 'app.settings:Settings',
      vars: [
        { name: 'APP_GREETING', field: 'greeting', type: 'str', secret: false, required: false },
        { name: 'APP_API_KEY', field: 'api_key', type: 'SecretStr', secret: true, required: true },
      ],
    },
  ],
  startDeadlineSeconds: 2,
  gracePeriodSeconds: 2,
  healthDeadlineSeconds: 2,
});

class FakeSignals extends EventEmitter implements SignalHost {
  readonly pid = 4242;
  readonly killed: string[] = [];
  kill(pid: number, signal: NodeJS.Signals): void {
    this.killed.push(`${pid} ${signal}`);
  }
}

describe('verifyImage with a fake engine', () => {
  const routes: { current: Route } = { current: GOOD_ROUTES };
  let server: Server;
  let engine: FakeEngine;
  let signals: FakeSignals;

  beforeAll(async () => {
    server = await startFakeApp(routes);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    routes.current = GOOD_ROUTES;
    engine = new FakeEngine(() => portOf(server));
    signals = new FakeSignals();
  });

  const run = (extra: Partial<Parameters<typeof verifyImage>[0]> = {}) =>
    verifyImage({ engine, image: 'fake/app:1', target, signals, ...extra });

  it('passes every built-in check on a well-behaved app and removes what it started', async () => {
    const report = await run();
    expect(report.results.map((r) => `${r.status} ${r.id}`)).toEqual([
      'pass verify.size',
      'pass verify.no-build-tools',
      'pass verify.code-read-only',
      'pass verify.starts',
      'pass verify.non-root',
      'pass verify.answers',
      'pass verify.routes',
      'pass verify.env-secrets',
      'pass verify.healthcheck',
      'pass verify.restricted',
      'pass verify.graceful-shutdown',
    ]);
    expect(report.ok).toBe(true);
    expect(report.results.every((r) => typeof r.durationMs === 'number')).toBe(true);
    expect(engine.containers.size).toBe(0);
    expect(engine.removed.length).toBeGreaterThanOrEqual(5);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('labels every container, publishes on loopback with an engine-chosen port', async () => {
    const seen: string[] = [];
    engine.behaviour.onRun = (request) => {
      expect(request.labels?.[OWNER_LABEL]).toBe('slipway');
      expect(request.labels?.[RUN_LABEL]).toMatch(new RegExp(`^${process.pid}-`));
      for (const port of request.publish ?? []) {
        expect(port).toEqual({ containerPort: 8000, hostIp: '127.0.0.1' });
      }
      seen.push(request.name ?? '');
    };
    const report = await run();
    expect(seen.every((name) => name.startsWith(`slipway-verify-${report.runId}-`))).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  it('supplies secrets through a 0600 env-file that is gone afterwards, and plain values as env', async () => {
    let envFile: string | undefined;
    engine.behaviour.onRun = (request) => {
      if (request.publish) envFile = request.envFile;
    };
    const report = await run();
    const app = engine.removed.length;
    expect(app).toBeGreaterThan(0);
    expect(envFile).toBeDefined();
    expect(existsSync(dirname(envFile ?? '/nonexistent/x'))).toBe(false);
    const env = report.results.find((r) => r.id === 'verify.env-secrets');
    expect(env?.evidence?.join('\n')).toMatch(
      /APP_API_KEY \(secret, from the env-file\).*read back, sha256:/,
    );
  });

  it('checks the env-file mode the engine saw', async () => {
    const modes: (number | undefined)[] = [];
    engine.behaviour.onRun = (request) => {
      if (request.envFile) modes.push([...engine.containers.values()].at(-1)?.envFileMode);
    };
    await run({ only: ['verify.starts'] });
    expect(modes).toEqual([0o600]);
  });

  it('never lets a secret into a result, even when a check prints it', async () => {
    const leaky: VerifyCheck = {
      id: 'extra.leaky',
      title: 'prints what it should not',
      hint: 'do not',
      severity: 'error',
      docs: 'docs/commands/verify.md',
      run: async (context) => ({
        status: 'fail',
        message: `value ${Object.values(context.settings.secret).join(',')}`,
        evidence: [`APP_API_KEY=${context.settings.secret.APP_API_KEY}`],
      }),
    };
    const report = await run({ only: ['extra.leaky'], extraChecks: [leaky] });
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/slipway-verify-[0-9a-f]{48}/);
    expect(report.results[0]?.evidence).toEqual(['APP_API_KEY=***']);
  });

  it('turns a check that throws into a failure and still removes its containers', async () => {
    const broken: VerifyCheck = {
      id: 'extra.broken',
      title: 'throws after starting a container',
      hint: 'fix the check',
      severity: 'error',
      docs: 'docs/commands/verify.md',
      run: async (context) => {
        await context.standard();
        throw new Error('engine went away\nsecond line');
      },
    };
    const report = await run({ only: ['extra.broken'], extraChecks: [broken] });
    expect(report.results[0]).toMatchObject({
      status: 'fail',
      message: 'the check could not run: engine went away',
      evidence: ['second line'],
      hint: 'fix the check',
    });
    expect(engine.containers.size).toBe(0);
  });

  it('finds a container whose start failed midway by its run label', async () => {
    engine.behaviour.onRun = () => {
      throw new Error('port is already allocated');
    };
    const report = await run({ only: ['verify.starts'] });
    expect(report.results[0]?.message).toMatch(/could not run: port is already allocated/);
    expect(engine.containers.size).toBe(0);
  });

  it('skips checks whose requirement failed, naming it', async () => {
    routes.current = () => ({ status: 503, body: 'down' });
    const report = await run({ only: ['verify.starts', 'verify.answers', 'verify.graceful-shutdown'] });
    expect(report.results.map((r) => `${r.status} ${r.id}: ${r.message}`)).toEqual([
      'fail verify.starts: it answered, but not as wanted within 2 s (GET /healthz → 503; want GET /healthz → 200)',
      'skip verify.answers: skipped: verify.starts failed',
      'skip verify.graceful-shutdown: skipped: verify.starts failed',
    ]);
    expect(report.results[0]?.hint).toMatch(/up but not healthy by the deadline/);
  });

  it('removes everything and passes the signal on when interrupted (Ctrl-C)', async () => {
    let release: () => void = () => undefined;
    engine.behaviour.runGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pending = run({ only: ['verify.starts'] });
    // Wait until the container exists but `run` has not returned its id yet.
    while (engine.containers.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    signals.emit('SIGINT', 'SIGINT');
    setTimeout(release, 20);
    await expect(pending).rejects.toBeInstanceOf(VerifyInterruptedError);
    expect(engine.containers.size).toBe(0);
    expect(signals.killed).toEqual(['4242 SIGINT']);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('handles SIGTERM the same way, during a check that waits', async () => {
    const waits: VerifyCheck = {
      id: 'extra.waits',
      title: 'waits forever',
      hint: '',
      severity: 'error',
      docs: 'docs/commands/verify.md',
      run: async (context) => {
        await context.standard();
        signals.emit('SIGTERM', 'SIGTERM');
        return new Promise(() => undefined);
      },
    };
    await expect(run({ only: ['extra.waits'], extraChecks: [waits] })).rejects.toThrow(
      /interrupted by SIGTERM/,
    );
    expect(engine.containers.size).toBe(0);
    expect(signals.killed).toEqual(['4242 SIGTERM']);
  });

  it("removes the scan's saved archive too when interrupted (the signal skips exit handlers)", async () => {
    const scratch = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('slipway-scan-')));
    const before = scratch();
    const saving: VerifyCheck = {
      id: 'extra.saves',
      title: 'saves the image for a second read, then is interrupted',
      hint: '',
      severity: 'error',
      docs: 'docs/commands/verify.md',
      run: async (context) => {
        // An engine save that never ends, kept for a second read as verify.scan keeps it.
        const hanging = { ...context.engine, saveImageTo: () => new Promise<never>(() => undefined) };
        prefetchImage(hanging as typeof context.engine, 'app:interrupted', { keepArchive: true });
        expect([...scratch()].filter((name) => !before.has(name))).toHaveLength(1);
        signals.emit('SIGINT', 'SIGINT');
        return new Promise(() => undefined);
      },
    };
    await expect(run({ only: ['extra.saves'], extraChecks: [saving] })).rejects.toBeInstanceOf(
      VerifyInterruptedError,
    );
    expect([...scratch()].filter((name) => !before.has(name))).toEqual([]);
    void dropPrefetch('app:interrupted');
  });

  it('lists extra checks after the built-in ones, runs them after what they require, and refuses duplicate ids', async () => {
    const extra: VerifyCheck = {
      id: 'verify.scan',
      requires: ['verify.size'],
      title: 'scan',
      hint: '',
      severity: 'error',
      docs: 'docs/commands/verify.md',
      run: async (context) => ({
        status: 'pass',
        message: `saw ${context.results.size} results`,
        evidence: [],
      }),
    };
    const report = await run({ only: ['verify.size', 'verify.scan'], extraChecks: [extra] });
    expect(report.results.map((r) => r.id)).toEqual(['verify.size', 'verify.scan']);
    expect(report.results[1]?.message).toBe('saw 1 results');
    await expect(run({ extraChecks: [{ ...extra, id: 'verify.size' }] })).rejects.toThrow(
      /share the id verify.size/,
    );
  });

  it('runs independent checks side by side and reports them in their order, not the order they finished', async () => {
    const timed = (id: string, ms: number): VerifyCheck => ({
      id,
      title: id,
      hint: '',
      severity: 'error',
      docs: 'docs/commands/verify.md',
      run: async () => {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return { status: 'pass', message: id, evidence: [] };
      },
    });
    const seen: string[] = [];
    const report = await run({
      only: ['x.slow', 'x.fast'],
      extraChecks: [timed('x.slow', 60), timed('x.fast', 1)],
      onResult: (result) => seen.push(result.id),
    });
    expect(seen).toEqual(['x.fast', 'x.slow']);
    expect(report.results.map((r) => r.id)).toEqual(['x.slow', 'x.fast']);
  });

  it('says which image is missing, with a fix', async () => {
    engine.behaviour.image = undefined;
    await expect(run()).rejects.toBeInstanceOf(EnvironmentError);
  });

  it('verifies an image with no project from its labels: port, probes, settings names', async () => {
    const requests: RunRequest[] = [];
    engine.behaviour.onRun = (request) => requests.push(request);
    engine.behaviour.image = {
      ...GOOD_IMAGE,
      labels: factsToLabels({
        port: 8000,
        uid: 10001,
        gid: 10001,
        liveness: '/readyz',
        readiness: '/readyz',
        appModule: 'app.main',
        gracefulTimeoutSeconds: 3,
        sizeBudgetMb: 300,
        settings: [
          {
            importPath: 'app.settings:Settings',
            vars: [
              { name: 'APP_API_KEY', field: 'api_key', type: 'SecretStr', secret: true, required: true },
            ],
          },
        ],
        routes: ['GET /healthz', 'GET /readyz'],
        openapiPath: '/openapi.json',
        services: [],
        migration: undefined,
      }),
    };
    const report = await verifyBuilt(engine, 'fake/app:1', undefined, { scan: false, signals });
    const starts = report.results.find((r) => r.id === 'verify.starts');
    expect(starts?.evidence).toContain('liveness: GET /readyz → 200 (target from image labels)');
    expect(report.results.find((r) => r.id === 'verify.env-secrets')?.message).toBe(
      'the app read all 1 supplied settings (1 from a Secret)',
    );
    expect(requests.some((request) => request.envFile)).toBe(true);
    // Without labels: the defaults, where liveness falls back to an answer below 500.
    engine.behaviour.image = GOOD_IMAGE;
    const bare = await verifyBuilt(engine, 'fake/app:1', undefined, { scan: false, signals });
    expect(bare.results.find((r) => r.id === 'verify.starts')?.evidence).toContain(
      'liveness: no health route: GET /openapi.json, then / → any answer below 500 (target from defaults)',
    );
  });
});

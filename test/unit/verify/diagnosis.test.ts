import { describe, expect, it } from 'vitest';
import { factsFromLabels, factsToLabels } from '../../../src/build/image-labels.js';
import { restrictionProblem } from '../../../src/verify/checks/restricted.js';
import { LAUNCHER_MOUNT, launcherVariant } from '../../../src/verify/launcher.js';
import { livenessProbe } from '../../../src/verify/liveness.js';
import { parseProcStatus } from '../../../src/verify/proc-status.js';
import { diagnoseStart } from '../../../src/verify/start-diagnosis.js';
import { defaultTarget, targetFromLabels } from '../../../src/verify/target.js';
import type { Readiness } from '../../../src/verify/wait-ready.js';
import { PROC_STATUS } from './fake-engine.js';

const notReady: Readiness = {
  ok: false,
  listenMs: undefined,
  first200Ms: undefined,
  path: undefined,
  attempts: 50,
  reason: 'the 10 s deadline passed',
  exitCode: undefined,
  lastStatus: {},
  lastError: 'fetch failed: connect ECONNREFUSED 127.0.0.1:49153',
};
const route = livenessProbe(defaultTarget({ health: { liveness: '/healthz', readiness: '/healthz' } }));

describe('the hint on a failed start is chosen from the evidence', () => {
  it('crashed: names the error line of the log', () => {
    const d = diagnoseStart(
      { ...notReady, exitCode: 1 },
      route,
      8000,
      10,
      'Traceback\n  File "x"\nKeyError: \'DATABASE_URL\'\n',
      undefined,
    );
    expect(d.message).toBe(
      "it crashed during startup: the container exited with code 1 (KeyError: 'DATABASE_URL')",
    );
    expect(d.hint).toMatch(/container log below says why/);
  });

  it('never listened: loopback, another port, or no server line at all', () => {
    const loop = diagnoseStart(
      notReady,
      route,
      8000,
      10,
      'INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)',
      undefined,
    );
    expect(loop.message).toMatch(/listens on 127\.0\.0\.1:8000 inside the container/);
    expect(loop.hint).toMatch(/--host 0\.0\.0\.0/);
    const port = diagnoseStart(
      notReady,
      route,
      8000,
      10,
      '[INFO] Listening at: http://0.0.0.0:80 (1)',
      undefined,
    );
    expect(port.message).toBe('it listens on port 80, not on 8000 where verify and the manifests expect it');
    const silent = diagnoseStart(
      notReady,
      route,
      8000,
      10,
      'INFO:     Waiting for application startup.',
      undefined,
    );
    expect(silent.message).toMatch(/^it never listened on port 8000 within 10 s/);
    expect(silent.hint).toMatch(/no server line: startup did not finish/);
  });

  it('listening but the health path is a 404: lists the routes it serves', () => {
    const ready = { ...notReady, listenMs: 900, lastStatus: { '/healthz': 404 } };
    const runtime = {
      routes: ['GET /api/v1/utils/health-check/', 'GET /api/v1/items/'],
      paths: [],
      version: '3.1.0',
      bytes: 10,
    };
    const d = diagnoseStart(ready, route, 8000, 10, '', runtime);
    expect(d.message).toBe('it is listening, but GET /healthz → 404: the health route is not at that path');
    expect(d.evidence).toEqual(['routes at run time: GET /api/v1/utils/health-check/, GET /api/v1/items/']);
  });

  it('answers, but not in time (503)', () => {
    const d = diagnoseStart(
      { ...notReady, listenMs: 900, lastStatus: { '/healthz': 503 } },
      route,
      8000,
      10,
      '',
      undefined,
    );
    expect(d.message).toMatch(/answered, but not as wanted within 10 s \(GET \/healthz → 503/);
    expect(d.hint).toMatch(/up but not healthy by the deadline/);
  });

  it('without a health route: the OpenAPI document, then /, any answer below 500', () => {
    const probe = livenessProbe(defaultTarget());
    expect(probe.paths).toEqual(['/openapi.json', '/']);
    expect([200, 404, 401, 499].every(probe.accepts)).toBe(true);
    expect(probe.accepts(500)).toBe(false);
    expect(livenessProbe(defaultTarget({ openapiPath: undefined })).paths).toEqual(['/']);
  });
});

describe('verify.restricted judges the kernel, not the flags', () => {
  it('wants CapEff all zero and NoNewPrivs 1', () => {
    expect(restrictionProblem(parseProcStatus(PROC_STATUS))).toBeUndefined();
    expect(
      restrictionProblem(parseProcStatus(PROC_STATUS.replace('NoNewPrivs:\t1', 'NoNewPrivs:\t0'))),
    ).toMatch(/no_new_privs is not set/);
    expect(restrictionProblem(parseProcStatus(PROC_STATUS.replace(/NoNewPrivs.*\n/, '')))).toMatch(
      /no NoNewPrivs line/,
    );
    expect(restrictionProblem(parseProcStatus(PROC_STATUS.replace(/CapEff.*\n/, '')))).toMatch(
      /no CapEff line/,
    );
  });
});

describe('image labels carry what verify needs, never a value', () => {
  const facts = {
    port: 8080,
    uid: 10001,
    gid: 10001,
    liveness: undefined,
    readiness: undefined,
    appModule: 'app.main',
    gracefulTimeoutSeconds: 15,
    sizeBudgetMb: 250,
    settings: [
      {
        importPath: 'app.settings:Settings',
        vars: [
          {
            name: 'APP_DATABASE_URL',
            field: 'database_url',
            type: 'PostgresDsn',
            secret: true,
            required: true,
          },
        ],
      },
    ],
    routes: ['GET /', 'POST /items/'],
    openapiPath: '/api/v1/openapi.json',
    services: [
      {
        kind: 'postgres' as const,
        image: 'postgres:17',
        port: 5432,
        reasons: ['setting APP_DATABASE_URL (PostgresDsn)'],
        composeName: 'db',
        settings: [{ name: 'APP_DATABASE_URL', role: 'url' as const, scheme: 'postgresql' }],
      },
    ],
    migration: {
      command: ['alembic', 'upgrade', 'head'],
      source: 'alembic' as const,
      why: 'alembic.ini (script_location migrations)',
      files: ['alembic.ini', 'migrations'],
    },
  };

  it('round-trips through labels into a target', () => {
    const labels = factsToLabels(facts);
    expect(factsFromLabels(labels)).toEqual(facts);
    // An image built from the project alone is enough: its services, migration and OpenAPI path.
    expect(targetFromLabels(labels)).toMatchObject({
      openapiPath: '/api/v1/openapi.json',
      services: facts.services,
      migration: facts.migration,
    });
    expect(
      targetFromLabels({ ...labels, 'io.slipway.verify.openapi-path': 'none' })?.openapiPath,
    ).toBeUndefined();
    // Names, kinds and commands only: no setting's value.
    expect(JSON.stringify(labels)).not.toMatch(/password|changethis|slipway-verify-/i);
    expect(Object.keys(labels).every((key) => key.startsWith('io.slipway.verify.'))).toBe(true);
    const target = targetFromLabels(labels);
    expect(target).toMatchObject({ port: 8080, source: 'image labels', health: { liveness: undefined } });
    expect(target?.routes).toEqual([
      { method: 'GET', path: '/' },
      { method: 'POST', path: '/items/' },
    ]);
    expect(targetFromLabels({ 'org.opencontainers.image.title': 'x' })).toBeUndefined();
  });

  it('leaves a compose healthcheck out of the labels: written by hand, it may hold a password', async () => {
    const { factsFromModel } = await import('../../../src/build/image-labels.js');
    const { analyzeProject } = await import('../../../src/analyze/index.js');
    const { join } = await import('node:path');
    const model = await analyzeProject(
      join(import.meta.dirname, '..', '..', 'fixtures', 'projects', 'services-full-stack'),
    );
    const withSecret = {
      ...model,
      services: (model.services ?? []).map((s) => ({
        ...s,
        composeHealthcheck: ['CMD', 'redis-cli', '-a', 'hunter2', 'ping'],
      })),
    };
    const labels = factsToLabels(factsFromModel(withSecret));
    expect(labels['io.slipway.verify.services']).toContain('"kind":"postgres"');
    expect(JSON.stringify(labels)).not.toContain('hunter2');
  });
});

describe('the graceful-shutdown launcher', () => {
  it('goes first on PYTHONPATH and keeps the image own path', async () => {
    const { mkdtemp, readFile, stat } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = join(await mkdtemp(join(tmpdir(), 'launcher-')), 'launcher');
    const variant = await launcherVariant(dir, ['PATH=/usr/bin', 'PYTHONPATH=/app/src'], 2);
    expect(variant.env).toMatchObject({
      PYTHONPATH: `${LAUNCHER_MOUNT}:/app/src`,
      SLIPWAY_SLOW_SECONDS: '2',
    });
    expect(variant.binds).toEqual({ [dir]: LAUNCHER_MOUNT });
    expect((await stat(join(dir, 'sitecustomize.py'))).mode & 0o777).toBe(0o644);
    expect(await readFile(join(dir, 'sitecustomize.py'), 'utf8')).toMatch(/starlette\.applications/);
  });
});

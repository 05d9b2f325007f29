import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CompanionService, MigrationStep } from '../../../src/analyze/model.js';
import type { RunRequest } from '../../../src/engines/engine.js';
import { type SignalHost, VerifyInterruptedError, verifyImage } from '../../../src/verify/runner.js';
import { planServices, withServiceSettings } from '../../../src/verify/services/plan.js';
import { supplySettings } from '../../../src/verify/settings-values.js';
import { defaultTarget, type SettingsTarget } from '../../../src/verify/target.js';
import { FakeEngine, GOOD_ROUTES, portOf, type Route, startFakeApp } from './fake-engine.js';

const POSTGRES: CompanionService = {
  kind: 'postgres',
  image: 'postgres:17',
  port: 5432,
  reasons: ['setting DATABASE_URL (postgresql+psycopg scheme in its default)', 'compose.yaml services.db'],
  composeName: 'db',
  settings: [
    { name: 'DATABASE_URL', role: 'url', scheme: 'postgresql+psycopg' },
    { name: 'DB_HOST', role: 'host' },
    { name: 'DB_PORT', role: 'port' },
    { name: 'DB_PASSWORD', role: 'password' },
  ],
};
const REDIS: CompanionService = {
  kind: 'redis',
  image: 'redis:7',
  port: 6379,
  reasons: ['setting REDIS_URL (type RedisDsn)'],
  settings: [{ name: 'REDIS_URL', role: 'url', scheme: 'redis' }],
};
const MIGRATION: MigrationStep = {
  command: ['alembic', 'upgrade', 'head'],
  source: 'alembic',
  why: 'alembic.ini (script_location migrations)',
  files: ['alembic.ini', 'migrations'],
};
const SETTINGS: SettingsTarget[] = [
  {
    importPath: 'app.config:Settings',
    vars: [
      { name: 'DATABASE_URL', field: 'DATABASE_URL', type: 'PostgresDsn', secret: true, required: true },
      { name: 'DB_HOST', field: 'DB_HOST', type: 'str', secret: false, required: false },
      { name: 'DB_PORT', field: 'DB_PORT', type: 'int', secret: false, required: false },
      { name: 'DB_PASSWORD', field: 'DB_PASSWORD', type: 'str', secret: true, required: false },
      { name: 'REDIS_URL', field: 'REDIS_URL', type: 'RedisDsn', secret: false, required: false },
      { name: 'APP_NAME', field: 'APP_NAME', type: 'str', secret: false, required: false },
    ],
  },
];

describe('planServices and withServiceSettings', () => {
  const token = () => 'pw0123456789abcdef';

  it('gives each service the official image variables, its readiness tool and its host names', () => {
    const [pg, redis] = planServices([POSTGRES, REDIS], token);
    expect(pg).toMatchObject({
      image: 'postgres:17',
      aliases: ['postgres', 'db'],
      host: 'postgres',
      env: { POSTGRES_USER: 'slipway', POSTGRES_DB: 'slipway' },
      secretEnv: { POSTGRES_PASSWORD: 'pw0123456789abcdef' },
      health: ['pg_isready', '-q', '-h', '127.0.0.1', '-p', '5432', '-U', 'slipway', '-d', 'slipway'],
      appPlain: { DB_HOST: 'postgres', DB_PORT: '5432' },
      appSecret: {
        DATABASE_URL: 'postgresql+psycopg://slipway:pw0123456789abcdef@postgres:5432/slipway',
        DB_PASSWORD: 'pw0123456789abcdef',
      },
    });
    expect(redis).toMatchObject({
      aliases: ['redis'],
      secretEnv: {},
      health: ['redis-cli', '-h', '127.0.0.1', 'ping'],
      appPlain: { REDIS_URL: 'redis://redis:6379/0' },
      appSecret: {},
    });
  });

  it('puts the addresses over the generated values, defaults included, and keeps the rest', () => {
    const supply = supplySettings(SETTINGS);
    // Before: a required DSN gets a .invalid host, the defaults are left alone.
    expect(supply.secret.DATABASE_URL).toMatch(/slipway-verify\.invalid/);
    expect(supply.plain.DB_HOST).toBeUndefined();
    const merged = withServiceSettings(supply, planServices([POSTGRES, REDIS], token), SETTINGS);
    expect(merged.secret.DATABASE_URL).toBe(
      'postgresql+psycopg://slipway:pw0123456789abcdef@postgres:5432/slipway',
    );
    expect(merged.secret.DB_PASSWORD).toBe('pw0123456789abcdef');
    expect(merged.plain).toMatchObject({
      DB_HOST: 'postgres',
      DB_PORT: '5432',
      REDIS_URL: 'redis://redis:6379/0',
    });
    expect(merged.plain.APP_NAME).toBeUndefined();
    // Every supplied value is checked inside the container (digest), none twice.
    const names = merged.values.map((v) => v.variable.name).sort();
    expect(names).toEqual(['DATABASE_URL', 'DB_HOST', 'DB_PASSWORD', 'DB_PORT', 'REDIS_URL']);
    expect(merged.unsupplied.map((u) => u.variable.name)).toEqual(['APP_NAME']);
  });

  it('leaves the supply as it was without services', () => {
    const supply = supplySettings(SETTINGS);
    expect(withServiceSettings(supply, [], SETTINGS)).toBe(supply);
  });
});

class FakeSignals extends EventEmitter implements SignalHost {
  readonly pid = 4242;
  readonly killed: string[] = [];
  kill(pid: number, signal: NodeJS.Signals): void {
    this.killed.push(`${pid} ${signal}`);
  }
}

describe('verifyImage with companion services (fake engine)', () => {
  const routes: { current: Route } = { current: GOOD_ROUTES };
  let server: Server;
  let engine: FakeEngine;
  let signals: FakeSignals;
  const target = defaultTarget({
    health: { liveness: '/healthz', readiness: '/readyz' },
    settings: SETTINGS,
    services: [POSTGRES, REDIS],
    migration: MIGRATION,
    startDeadlineSeconds: 2,
    gracePeriodSeconds: 2,
    healthDeadlineSeconds: 2,
  });

  beforeAll(async () => {
    server = await startFakeApp(routes);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    engine = new FakeEngine(() => portOf(server));
    signals = new FakeSignals();
  });
  const run = (extra: Partial<Parameters<typeof verifyImage>[0]> = {}) =>
    verifyImage({ engine, image: 'fake/app:1', target, signals, ...extra });

  it('starts the services on a private network, migrates, then starts the app there, and removes it all', async () => {
    const requests: RunRequest[] = [];
    engine.behaviour.serviceProbeFailures = 2;
    engine.behaviour.onRun = (request) => {
      requests.push(request);
    };
    const report = await run();
    expect(report.results.map((r) => `${r.status} ${r.id}`).slice(0, 6)).toEqual([
      'pass verify.size',
      'pass verify.no-build-tools',
      'pass verify.code-read-only',
      'pass verify.services',
      'pass verify.migrate',
      'pass verify.starts',
    ]);
    expect(report.ok).toBe(true);
    const network = `slipway-verify-${report.runId}`;
    const pg = requests.find((r) => r.image === 'postgres:17');
    expect(pg).toMatchObject({
      network,
      networkAliases: ['postgres', 'db'],
      env: { POSTGRES_USER: 'slipway' },
    });
    // The password reaches the service through its env-file only.
    expect(JSON.stringify(pg?.env)).not.toMatch(/PASSWORD/);
    expect(pg?.envFile).toBeDefined();
    const migrate = requests.find((r) => r.entrypoint === 'alembic');
    expect(migrate).toMatchObject({ network, command: ['upgrade', 'head'], readOnlyRootFilesystem: true });
    expect(migrate?.user).toBe('10001:10001');
    const apps = requests.filter((r) => r.image === 'fake/app:1' && r.publish);
    expect(apps.length).toBeGreaterThan(1);
    expect(apps.every((r) => r.network === network)).toBe(true);
    expect(apps.every((r) => !JSON.stringify(r.env).includes('slipway:'))).toBe(true);
    // Service before migration before app: the order the run calls went in.
    const at = (pattern: RegExp) => engine.calls.findIndex((call) => pattern.test(call));
    expect(at(/^network create /)).toBeGreaterThanOrEqual(0);
    expect(at(/^network create /)).toBeLessThan(at(/^run .*-postgres$/));
    expect(at(/^run .*-postgres$/)).toBeLessThan(at(/^run .*-migrate$/));
    expect(at(/^run .*-migrate$/)).toBeLessThan(at(/^run .*-app$/));
    expect(engine.serviceProbes.filter((p) => p[0] === 'pg_isready')).toHaveLength(3);
    // Nothing left: containers, the network, the env-files.
    expect(engine.containers.size).toBe(0);
    expect(engine.networks.size).toBe(0);
    expect(engine.removedNetworks).toEqual([network]);
    expect(existsSync(dirname(pg?.envFile ?? '/nonexistent/x'))).toBe(false);
    const services = report.results.find((r) => r.id === 'verify.services');
    expect(services?.evidence?.join('\n')).toMatch(/postgres:17 at postgres:5432 .*healthy after/);
    const told = /the app is told through (.*);/.exec(services?.evidence?.join('\n') ?? '')?.[1]?.split(', ');
    expect(told?.sort()).toEqual(['DATABASE_URL', 'DB_HOST', 'DB_PASSWORD', 'DB_PORT', 'REDIS_URL']);
    expect(JSON.stringify(report)).not.toMatch(/slipway:[0-9a-f]{36}@/);
  });

  it('fails verify.services and never starts the app when a service stays unhealthy', async () => {
    engine.behaviour.serviceProbeFailures = Number.POSITIVE_INFINITY;
    const report = await run();
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get('verify.services')?.status).toBe('fail');
    expect(byId.get('verify.services')?.message).toMatch(
      /postgres:17 at postgres:5432 .* was not healthy within 2\.00 s/,
    );
    expect(byId.get('verify.migrate')?.status).toBe('skip');
    // The app was never run: the checks that run it saw nothing, so they skip (not fail), and
    // say why; verify.services carries the failure.
    for (const id of ['verify.starts', 'verify.non-root', 'verify.routes']) {
      expect(byId.get(id)?.status, id).toBe('skip');
      expect(byId.get(id)?.message, id).toMatch(/^skipped: the app was not started: postgres:17/);
    }
    expect([...engine.containers.values()].some((c) => c.request.image === 'fake/app:1')).toBe(false);
    expect(engine.networks.size).toBe(0);
    expect(report.ok).toBe(false);
  });

  it('fails verify.migrate with its output when the migration exits non-zero', async () => {
    engine.behaviour.migration = { code: 1, output: "FAILED: Can't locate revision identified by 'abc123'" };
    const report = await run();
    const migrate = report.results.find((r) => r.id === 'verify.migrate');
    expect(migrate?.status).toBe('fail');
    expect(migrate?.message).toBe('`alembic upgrade head` exited 1');
    expect(migrate?.evidence?.join('\n')).toMatch(/Can't locate revision/);
    expect(report.results.find((r) => r.id === 'verify.starts')?.status).toBe('skip');
    expect(report.ok).toBe(false);
    expect(engine.containers.size + engine.networks.size).toBe(0);
  });

  it('removes the services and the network when interrupted while they start', async () => {
    engine.behaviour.serviceProbeFailures = Number.POSITIVE_INFINITY;
    const pending = run({ only: ['verify.services'] });
    while (engine.containers.size < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    signals.emit('SIGINT', 'SIGINT');
    await expect(pending).rejects.toBeInstanceOf(VerifyInterruptedError);
    expect(engine.containers.size).toBe(0);
    expect(engine.networks.size).toBe(0);
    expect(signals.killed).toEqual(['4242 SIGINT']);
  });

  it('adds no check and no network for an app without services or migrations', async () => {
    const plain = defaultTarget({ ...target, services: [], migration: undefined });
    const report = await verifyImage({ engine, image: 'fake/app:1', target: plain, signals });
    expect(report.results.map((r) => r.id)).not.toContain('verify.services');
    expect(report.results.map((r) => r.id)).not.toContain('verify.migrate');
    expect(engine.calls.some((call) => call.startsWith('network'))).toBe(false);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeProject } from '../../../src/analyze/index.js';
import type { EnvVar, ProjectModel } from '../../../src/analyze/model.js';
import { COMPOSE_FILE, composeFile } from '../../../src/generate/compose/index.js';
import { withMarker } from '../../../src/generate/write.js';
import { repoRoot } from '../../helpers/cli.js';
import { inCI } from '../../helpers/testbed.js';
import { composeConfig, findCompose, requireCompose } from './compose-tool.js';
import { cases, model } from './models.js';

/**
 * The compose.yaml `slipway init --with compose` writes: golden files for the reference model
 * shapes and the services-full-stack fixture (analyzed), its properties (the pod's restrictions,
 * loopback-only port, no secret in clear, start order), and real Compose v2 accepting every one
 * of them (`docker compose config --quiet`). Under CI=true a missing compose fails.
 */

const fixture = join(repoRoot, 'test', 'fixtures', 'projects', 'services-full-stack');

const setting = (name: string, more: Partial<EnvVar> = {}): EnvVar => ({
  name,
  field: name.toLowerCase(),
  settingsClass: 'Settings',
  type: 'str',
  required: false,
  default: undefined,
  secret: false,
  ...more,
});

/** MySQL and Redis through URL settings, alembic, a private index, and values compose must not interpolate. */
const stack = model({
  root: '/projects/orders',
  name: 'orders',
  version: '2.0.0',
  settings: {
    classes: [{ name: 'Settings', file: 'src/orders/settings.py', line: 3, envPrefix: '' }],
    env: [
      setting('DATABASE_URL', { required: true, secret: true }),
      setting('REDIS_URL', { default: '"redis://localhost:6379/0"' }),
      setting('ORDERS_SECRET_KEY', { type: 'SecretStr', required: true, secret: true }),
      setting('ORDERS_REGION', { required: true }),
      setting('ORDERS_GREETING', { default: '"costs $5"' }),
      setting('ORDERS_FLAG', { default: '"yes"' }),
    ],
  },
  services: [
    {
      kind: 'mysql',
      image: 'mysql:8.4',
      port: 3306,
      reasons: ['setting DATABASE_URL (mysql+pymysql scheme)'],
      settings: [{ name: 'DATABASE_URL', role: 'url', scheme: 'mysql+pymysql' }],
    },
    {
      kind: 'redis',
      image: 'redis:7',
      port: 6379,
      reasons: ['setting REDIS_URL (redis scheme)'],
      settings: [{ name: 'REDIS_URL', role: 'url', scheme: 'redis' }],
    },
  ],
  migrations: {
    command: ['alembic', 'upgrade', 'head'],
    source: 'alembic',
    why: 'alembic.ini',
    files: ['alembic.ini'],
  },
  buildSecrets: [
    {
      id: 'uv-index-internal-password',
      env: 'UV_INDEX_INTERNAL_PASSWORD',
      why: 'index internal: authenticate = "always"',
    },
  ],
});

const fullStack = await analyzeProject(fixture);
const all: [string, ProjectModel][] = [
  ...Object.entries(cases),
  ['services-stack', stack],
  ['services-full-stack', fullStack],
];

function textOf(project: ProjectModel): string {
  const text = composeFile(project)[COMPOSE_FILE];
  if (!text) throw new Error(`no ${COMPOSE_FILE}`);
  return text;
}

type Service = Record<string, unknown> & {
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
};
function servicesOf(project: ProjectModel): Record<string, Service> {
  return (parse(withMarker(textOf(project))) as { services: Record<string, Service> }).services;
}

/** What .env must hold for the file: every `${NAME:?...}` it interpolates, with a made-up value. */
function dotenvFor(text: string): Record<string, string> {
  const names = [...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1] as string);
  return Object.fromEntries(names.map((name) => [name, `value${name.length}x`]));
}

describe.each(all)('compose.yaml: %s', (name, project) => {
  const services = servicesOf(project);
  const app = services.app as Service;

  it('matches the golden file', async () => {
    await expect(textOf(project)).toMatchFileSnapshot(`compose-golden/${name}.yaml`);
  });

  it('runs the app and its migration as the pod runs: numeric user, read-only root, tmpfs /tmp, no capabilities', () => {
    const { uid, gid } = project.config;
    for (const service of [app, services.migrate].filter((s): s is Service => s !== undefined)) {
      expect(service).toMatchObject({
        user: `${uid}:${gid}`,
        read_only: true,
        tmpfs: ['/tmp'],
        cap_drop: ['ALL'],
        security_opt: ['no-new-privileges:true'],
      });
    }
    expect(services.migrate !== undefined).toBe(project.migrations !== undefined);
  });

  it('publishes the port on 127.0.0.1 only and checks health in exec form', () => {
    const port = project.config.port;
    expect(app.ports).toEqual([
      { target: port, host_ip: '127.0.0.1', published: String(port), protocol: 'tcp' },
    ]);
    const test = (app.healthcheck as { test: string[] }).test;
    expect(test.slice(0, 3)).toEqual(['CMD', 'python', '-c']);
    expect(test[3]).toContain('127.0.0.1');
    expect(test[3]).toContain(String(port));
    for (const other of Object.values(services)) if (other !== app) expect(other.ports).toBeUndefined();
  });

  it('writes no secret value: secret settings come from .env, passwords by interpolation', () => {
    const text = textOf(project);
    for (const secret of project.settings.env.filter((v) => v.secret)) {
      const value = app.environment?.[secret.name];
      if (value === undefined) expect(app.env_file).toEqual(['.env']);
      else expect(value).toMatch(/\$\{[A-Z0-9_]+:\?[^}]+\}/);
    }
    for (const secret of project.settings.env.filter((v) => v.secret)) {
      const example = project.exampleEnv?.[secret.name]?.value;
      if (example) expect(text).not.toContain(example);
    }
  });

  it('starts the app after its services are healthy and its migration has completed', () => {
    const expected: Record<string, { condition: string }> = {};
    for (const [key, service] of Object.entries(services)) {
      if (key === 'app' || key === 'migrate') continue;
      expect(service.healthcheck).toBeDefined();
      expect(service.volumes).toHaveLength(1);
      expected[key] = { condition: 'service_healthy' };
    }
    if (services.migrate) {
      expect(services.migrate.depends_on ?? {}).toEqual(expected);
      expected.migrate = { condition: 'service_completed_successfully' };
    }
    expect(app.depends_on ?? {}).toEqual(expected);
  });
});

describe('compose.yaml settings', () => {
  it('points the app at its companion services by their compose names, with the same credentials as theirs', () => {
    const services = servicesOf(fullStack);
    expect(Object.keys(services)).toEqual(['db', 'migrate', 'app']);
    const db = services.db as Service;
    expect(services.app?.environment).toMatchObject({
      POSTGRES_SERVER: 'db',
      POSTGRES_PORT: '5432',
      POSTGRES_USER: db.environment?.POSTGRES_USER,
      POSTGRES_DB: db.environment?.POSTGRES_DB,
      POSTGRES_PASSWORD: db.environment?.POSTGRES_PASSWORD,
    });
    // The example password of .env.example is a secret: never copied.
    expect(textOf(fullStack)).not.toContain('changethis');
    expect(services.migrate?.entrypoint).toEqual(['bash', 'scripts/prestart.sh']);
  });

  it('builds URLs for MySQL and Redis, escapes literal dollars, and leaves a required setting to .env', () => {
    const app = servicesOf(stack).app as Service;
    // Compose interpolation, not a template: the password comes from .env when compose runs.
    const password =
      '$' +
      '{MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env (the mysql password; letters and digits, it goes into a URL)}';
    expect(app.environment?.DATABASE_URL).toBe(`mysql+pymysql://app:${password}@mysql:3306/app`);
    expect(app.environment?.REDIS_URL).toBe('redis://redis:6379/0');
    expect(app.environment?.ORDERS_GREETING).toBe('costs $$5');
    expect(app.environment?.ORDERS_FLAG).toBe('yes');
    expect(textOf(stack)).toContain('ORDERS_FLAG: "yes"');
    expect(app.environment?.ORDERS_REGION).toMatch(/^\$\{ORDERS_REGION:\?/);
    expect(app.environment?.ORDERS_SECRET_KEY).toBeUndefined();
    expect(app.env_file).toEqual(['.env']);
    expect(app.build).toMatchObject({ secrets: ['uv-index-internal-password'] });
  });

  it('builds a workspace member from the workspace root, as slipway build does', () => {
    const app = servicesOf(cases['workspace-member'] as ProjectModel).app as Service;
    expect(app.build).toEqual({
      context: '../..',
      dockerfile: 'services/api/Dockerfile',
      args: { VERSION: '0.2.0' },
    });
  });

  it('takes the example value over the literal default, as a local run should', () => {
    const project = model({ exampleEnv: { SHOP_LOG_LEVEL: { value: 'debug', from: '.env.example:1' } } });
    expect(servicesOf(project).app?.environment?.SHOP_LOG_LEVEL).toBe('debug');
    expect(servicesOf(model()).app?.environment?.SHOP_LOG_LEVEL).toBe('info');
  });
});

const composeHere = inCI || findCompose() !== undefined;

describe.runIf(composeHere)('real Compose v2 accepts every generated compose.yaml', () => {
  // Collected even when skipped: only look for compose when the tests run.
  const compose = composeHere ? requireCompose() : [];

  it.each(all)('%s: docker compose config --quiet', (_name, project) => {
    const text = textOf(project);
    const result = composeConfig(compose, text, dotenvFor(text));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('resolves the app as written: the restrictions and the loopback port survive', () => {
    const text = textOf(fullStack);
    const result = composeConfig(compose, text, dotenvFor(text), ['--format', 'json']);
    expect(result.status).toBe(0);
    const app = (JSON.parse(result.stdout) as { services: Record<string, Service> }).services.app as Service;
    expect(app).toMatchObject({ read_only: true, user: '10001:10001', cap_drop: ['ALL'] });
    expect(app.ports).toEqual([
      expect.objectContaining({ host_ip: '127.0.0.1', target: 8000, published: '8000' }),
    ]);
  });

  it('refuses to run without the password in .env, naming the variable', () => {
    const result = composeConfig(compose, textOf(fullStack), undefined);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/POSTGRES_PASSWORD.*set POSTGRES_PASSWORD in \.env/);
  });

  it('needs the .env the app reads its secrets from', () => {
    const result = composeConfig(compose, textOf(cases['src-layout'] as ProjectModel), undefined);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/\.env/);
  });

  it('rejects what compose would refuse (the validator looks)', () => {
    const broken = textOf(cases['src-layout'] as ProjectModel).replace('read_only: true', 'read_only: maybe');
    const result = composeConfig(compose, broken, { SHOP_API_TOKEN: 'x', SHOP_DATABASE_URL: 'x' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/read_only/);
  });
});

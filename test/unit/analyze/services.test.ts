import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import { commandArgv, findMigrations } from '../../../src/analyze/migrations.js';
import type { EnvVar } from '../../../src/analyze/model.js';
import { findServices } from '../../../src/analyze/services.js';

/** Compose's own interpolation, written without a template placeholder. */
const DOLLAR = '$';
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'projects');

const env = (name: string, type = 'str', extra: Partial<EnvVar> = {}): EnvVar => ({
  name,
  field: name.toLowerCase(),
  settingsClass: 'Settings',
  type,
  required: true,
  default: undefined,
  secret: false,
  ...extra,
});

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-services-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const none = { dependencies: [], composeDirs: [], configured: undefined };

describe('findServices', () => {
  it('reads a DSN by its default scheme, its type, or its name', () => {
    const found = findServices({
      ...none,
      env: [
        env('SQLALCHEMY_DATABASE_URI', 'str', { default: 'postgresql+asyncpg://u:p@localhost/app' }),
        env('CACHE', 'RedisDsn'),
        env('MYSQL_URL'),
      ],
    });
    expect(found.map((s) => [s.kind, s.image, s.port, s.settings])).toEqual([
      [
        'postgres',
        'postgres:17',
        5432,
        [{ name: 'SQLALCHEMY_DATABASE_URI', role: 'url', scheme: 'postgresql+asyncpg' }],
      ],
      ['mysql', 'mysql:8.4', 3306, [{ name: 'MYSQL_URL', role: 'url', scheme: 'mysql' }]],
      ['redis', 'redis:7', 6379, [{ name: 'CACHE', role: 'url', scheme: 'redis' }]],
    ]);
    expect(found[0]?.reasons).toEqual([
      'setting SQLALCHEMY_DATABASE_URI (postgresql+asyncpg scheme in its default)',
    ]);
  });

  it('reads host/user/password/db fields, and needs a host or a URL to count', () => {
    const found = findServices({
      ...none,
      env: [
        env('POSTGRES_SERVER'),
        env('POSTGRES_PORT', 'int', { required: false, default: '5432' }),
        env('POSTGRES_USER'),
        env('POSTGRES_PASSWORD', 'str', { secret: true }),
        env('POSTGRES_DB'),
        env('REDIS_PORT', 'int'),
      ],
    });
    expect(found.map((s) => s.kind)).toEqual(['postgres']);
    expect(found[0]?.settings.map((s) => `${s.name}:${s.role}`)).toEqual([
      'POSTGRES_SERVER:host',
      'POSTGRES_PORT:port',
      'POSTGRES_USER:user',
      'POSTGRES_PASSWORD:password',
      'POSTGRES_DB:database',
    ]);
  });

  it("gives a URL with no written scheme the scheme SQLAlchemy needs for the app's driver", () => {
    const url = [env('DATABASE_URL')];
    const schemeOf = (dependencies: string[], asyncEngine = false) =>
      findServices({ ...none, env: url, dependencies, asyncEngine })[0]?.settings[0]?.scheme;
    // asyncpg behind create_async_engine, psycopg 3 alone, pymysql: not the plain scheme.
    expect(schemeOf(['sqlalchemy', 'asyncpg'], true)).toBe('postgresql+asyncpg');
    expect(schemeOf(['sqlmodel', 'asyncpg', 'psycopg2-binary'], true)).toBe('postgresql+asyncpg');
    expect(schemeOf(['sqlmodel', 'psycopg'], true)).toBe('postgresql+psycopg');
    expect(schemeOf(['sqlalchemy', 'psycopg'])).toBe('postgresql+psycopg');
    expect(schemeOf(['sqlalchemy', 'pg8000'])).toBe('postgresql+pg8000');
    expect(schemeOf(['sqlalchemy', 'pymysql'])).toBe('mysql+pymysql');
    expect(schemeOf(['sqlalchemy', 'aiomysql'], true)).toBe('mysql+aiomysql');
    // The plain scheme where it is right: psycopg2 or mysqlclient with a sync engine, or no
    // SQLAlchemy at all (asyncpg and psycopg read only the plain one themselves).
    expect(schemeOf(['sqlalchemy', 'psycopg2-binary'])).toBe('postgresql');
    expect(schemeOf(['sqlalchemy', 'asyncpg', 'psycopg2'])).toBe('postgresql');
    expect(schemeOf(['sqlalchemy', 'mysqlclient'])).toBe('mysql');
    expect(schemeOf(['asyncpg'], true)).toBe('postgresql');
    expect(schemeOf(['psycopg'])).toBe('postgresql');
    // A scheme written in the default wins over the guess.
    const written = [env('DATABASE_URL', 'str', { required: false, default: 'postgresql://u:p@db/app' })];
    expect(
      findServices({ ...none, env: written, dependencies: ['sqlalchemy', 'asyncpg'], asyncEngine: true })[0]
        ?.settings[0]?.scheme,
    ).toBe('postgresql');
  });

  it('ties a neutral DATABASE_URL to the one driver the dependencies name, and sqlite to nothing', () => {
    const url = [env('DATABASE_URL')];
    expect(findServices({ ...none, env: url, dependencies: ['asyncpg'] }).map((s) => s.kind)).toEqual([
      'postgres',
    ]);
    expect(findServices({ ...none, env: url, dependencies: ['pymysql'] }).map((s) => s.kind)).toEqual([
      'mysql',
    ]);
    // Two drivers, no scheme: nothing says which.
    expect(findServices({ ...none, env: url, dependencies: ['asyncpg', 'pymysql'] })).toEqual([]);
    const sqlite = [env('DATABASE_URL', 'str', { required: false, default: 'sqlite:///./app.db' })];
    expect(findServices({ ...none, env: sqlite, dependencies: ['psycopg'] })).toEqual([]);
    // An example value gives the scheme when the default does not.
    const examples = { DATABASE_URL: { value: 'mysql+aiomysql://u:p@db/app' } };
    expect(findServices({ ...none, env: url, examples }).map((s) => s.settings[0]?.scheme)).toEqual([
      'mysql+aiomysql',
    ]);
  });

  it('reads the compose services that run a database or cache image, with their healthcheck', () => {
    const dir = project({
      'compose.yaml': [
        'services:',
        '  db:',
        '    image: postgres:16-alpine',
        '    healthcheck:',
        '      test: ["CMD-SHELL", "pg_isready -U app"]',
        '  cache:',
        `    image: docker.io/library/redis:${DOLLAR}{REDIS_TAG:-7}`,
        '  api:',
        '    build: .',
        '  mail:',
        '    image: mailhog/mailhog',
      ].join('\n'),
    });
    const found = findServices({ ...none, env: [], composeDirs: [dir] });
    expect(found.map((s) => [s.kind, s.image, s.composeName, s.composeHealthcheck])).toEqual([
      ['postgres', 'postgres:16-alpine', 'db', ['CMD-SHELL', 'pg_isready -U app']],
      ['redis', 'redis:7', 'cache', undefined],
    ]);
    expect(found[0]?.reasons).toEqual(['compose.yaml services.db (image postgres:16-alpine)']);
  });

  it('adds what [tool.slipway] services names, once per kind', () => {
    const found = findServices({ ...none, env: [env('REDIS_URL')], configured: ['redis', 'postgres'] });
    expect(found.map((s) => [s.kind, s.reasons])).toEqual([
      ['postgres', ['[tool.slipway] services']],
      ['redis', ['setting REDIS_URL (its name)', '[tool.slipway] services']],
    ]);
  });

  it('finds nothing for an app with no database settings', () => {
    expect(findServices({ ...none, env: [env('API_KEY', 'SecretStr'), env('LOG_LEVEL')] })).toEqual([]);
  });
});

describe('findMigrations', () => {
  const input = (root: string, configured?: string) => ({
    root,
    composeDirs: [root],
    dependencies: ['alembic'],
    configured,
  });

  it('takes [tool.slipway] migrate first, as argv or through sh -c', () => {
    const dir = project({
      'alembic.ini': '[alembic]\nscript_location = migrations\n',
      'migrations/env.py': '',
    });
    expect(findMigrations(input(dir, 'python -m app.migrate --yes'))).toMatchObject({
      command: ['python', '-m', 'app.migrate', '--yes'],
      source: 'slipway-config',
    });
    expect(commandArgv('alembic upgrade head && python seed.py')).toEqual([
      'sh',
      '-c',
      'alembic upgrade head && python seed.py',
    ]);
  });

  it('runs a prestart script the compose file runs, whole, with the files it runs by path', () => {
    const dir = project({
      'compose.yaml': 'services:\n  prestart:\n    build: .\n    command: bash scripts/prestart.sh\n',
      'scripts/prestart.sh':
        '#! /usr/bin/env bash\nset -e\npython app/backend_pre_start.py\nalembic upgrade head\n',
      'app/backend_pre_start.py': 'print("up")\n',
      'alembic.ini': '[alembic]\nscript_location = app/alembic\n',
      'app/alembic/env.py': '',
    });
    expect(findMigrations(input(dir))).toEqual({
      command: ['bash', 'scripts/prestart.sh'],
      source: 'prestart-script',
      why: 'scripts/prestart.sh (run by compose.yaml)',
      files: ['scripts/prestart.sh', 'app/backend_pre_start.py'],
    });
  });

  it('reads the compose file one folder up, as the full-stack template keeps it beside backend/', () => {
    const dir = project({
      'compose.yaml':
        'services:\n  db:\n    image: postgres:17\n  prestart:\n    build: ./backend\n    command: bash scripts/prestart.sh\n',
      'backend/scripts/prestart.sh': 'alembic upgrade head\n',
    });
    const root = join(dir, 'backend');
    expect(
      findMigrations({ root, composeDirs: [root, dir], dependencies: [], configured: undefined }),
    ).toMatchObject({
      command: ['sh', 'scripts/prestart.sh'],
      why: 'scripts/prestart.sh (run by ../compose.yaml)',
    });
    expect(findServices({ ...none, env: [], composeDirs: [root, dir] }).map((s) => s.composeName)).toEqual([
      'db',
    ]);
  });

  it('takes only the migration from an entrypoint that also starts the server', () => {
    const dir = project({
      Dockerfile:
        'FROM python:3.13-slim\nCOPY entrypoint.sh /app/entrypoint.sh\nENTRYPOINT ["/app/entrypoint.sh"]\n',
      'entrypoint.sh':
        '#!/bin/sh\nset -eu\n# migrate first\nuv run alembic upgrade head\nexec uvicorn app.main:app --host 0.0.0.0\n',
    });
    expect(findMigrations({ ...input(dir), dependencies: [] })).toMatchObject({
      command: ['uv', 'run', 'alembic', 'upgrade', 'head'],
      source: 'prestart-script',
      files: [],
    });
  });

  it('ignores a script that is only copied, and an entrypoint that does not migrate', () => {
    const copied = project({
      Dockerfile: 'FROM python:3.13-slim\nCOPY scripts/prestart.sh /app/\nCMD ["uvicorn", "app:app"]\n',
      'scripts/prestart.sh': 'alembic upgrade head\n',
    });
    expect(findMigrations({ ...input(copied), dependencies: [] })).toBeUndefined();
    const serving = project({
      Dockerfile: 'FROM python:3.13-slim\nENTRYPOINT ["./docker-entrypoint.sh"]\n',
      'docker-entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
    });
    expect(findMigrations({ ...input(serving), dependencies: [] })).toBeUndefined();
  });

  it('falls back to alembic upgrade head when alembic.ini points at existing migrations', () => {
    const dir = project({
      'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\n',
      'migrations/env.py': '',
    });
    expect(findMigrations(input(dir))).toEqual({
      command: ['alembic', 'upgrade', 'head'],
      source: 'alembic',
      why: 'alembic.ini (script_location migrations)',
      files: ['alembic.ini', 'migrations'],
    });
    // A script_location that is not there, or no alembic dependency: no migration.
    const missing = project({ 'alembic.ini': '[alembic]\nscript_location = gone\n' });
    expect(findMigrations(input(missing))).toBeUndefined();
    expect(findMigrations({ ...input(dir), dependencies: [] })).toBeUndefined();
  });
});

describe('analyze on the services fixtures', () => {
  it('full stack: postgres from the settings and the compose file, the prestart step, its files copied', async () => {
    const model = await analyzeProject(join(FIXTURES, 'services-full-stack'));
    expect(model.services?.map((s) => [s.kind, s.image, s.composeName])).toEqual([
      ['postgres', 'postgres:17', 'db'],
    ]);
    expect(model.migrations).toMatchObject({
      command: ['bash', 'scripts/prestart.sh'],
      source: 'prestart-script',
    });
    expect(model.runtimeFiles?.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'alembic.ini',
        'app/alembic',
        'scripts/prestart.sh',
        'app/backend_pre_start.py',
      ]),
    );
    expect(model.app.openapiPath).toBe('/api/v1/openapi.json');
  });

  it('warns when the migration needs a shell that the chosen base lacks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-services-'));
    dirs.push(dir);
    cpSync(join(FIXTURES, 'services-full-stack'), dir, { recursive: true });
    const slim = await analyzeProject(dir);
    expect(slim.warnings?.some((w) => w.includes('needs a shell'))).toBe(false);
    appendFileSync(join(dir, 'pyproject.toml'), '\n[tool.slipway]\nbase = "distroless"\n');
    const model = await analyzeProject(dir);
    expect(model.warnings).toContain(
      'the migration (scripts/prestart.sh (run by compose.yaml)) needs a shell, which the distroless base has not: set [tool.slipway] migrate to the command itself (e.g. "alembic upgrade head")',
    );
  });

  it('lifespan: postgres and redis from DSN types, no migration', async () => {
    const model = await analyzeProject(join(FIXTURES, 'services-lifespan'));
    expect(model.services?.map((s) => `${s.kind}:${s.settings.map((x) => x.name).join(',')}`)).toEqual([
      'postgres:TALLY_DATABASE_URL',
      'redis:TALLY_REDIS_URL',
    ]);
    expect(model.migrations).toBeUndefined();
  });

  it('the reference backend needs no service and has no migration', async () => {
    const model = await analyzeProject(join(import.meta.dirname, '..', '..', '..', 'examples', 'backend'));
    expect(model.services).toBeUndefined();
    expect(model.migrations).toBeUndefined();
  });
});

describe('the asyncio engine in the sources', () => {
  it('is seen in the calls and names SQLAlchemy gives it, and not in look-alikes', async () => {
    const { ASYNC_ENGINE } = await import('../../../src/analyze/driver-scheme.js');
    for (const line of [
      'engine = create_async_engine(settings.db_url)',
      'from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker',
      'connectable = async_engine_from_config(config)',
    ]) {
      expect(ASYNC_ENGINE.test(line), line).toBe(true);
    }
    for (const line of [
      'engine = create_engine(url)',
      'my_create_async_engine_helper()',
      'AsyncEngineFactory',
    ]) {
      expect(ASYNC_ENGINE.test(line), line).toBe(false);
    }
  });
});

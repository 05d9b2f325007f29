import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import {
  envFileText,
  redact,
  sha256,
  supplySettings,
  testValue,
} from '../../../src/verify/settings-values.js';
import type { SettingsVar } from '../../../src/verify/target.js';
import { targetFromModel } from '../../../src/verify/target.js';
import { repoRoot } from '../../helpers/cli.js';

const v = (type: string, secret = false, name = 'X', required = true): SettingsVar => ({
  name,
  field: name.toLowerCase(),
  type,
  secret,
  required,
});

describe('test values', () => {
  it('invents values that survive the annotated type unchanged', () => {
    expect(testValue(v('str'))).toMatch(/^slipway-verify-[0-9a-f]{12}$/);
    expect(testValue(v('SecretStr', true))).toMatch(/^slipway-verify-[0-9a-f]{48}$/);
    expect(testValue(v('int | None'))).toMatch(/^\d{5}$/);
    expect(testValue(v('Optional[Path]'))).toMatch(/^\/tmp\/slipway-verify-/);
    expect(testValue(v('bool'))).toBe('true');
    expect(testValue(v('Literal["info", "debug"]'))).toBe('debug');
    expect(testValue(v('LogLevel'))).toBeUndefined();
  });

  it('gives complex types JSON that prints back unchanged, and emails and UUIDs their shape', () => {
    expect(testValue(v('list[str]', false, 'BACKEND_CORS_ORIGINS'))).toBe('[]');
    expect(testValue(v('dict[str, int]'))).toBe('{}');
    expect(testValue(v('EmailStr', false, 'FIRST_SUPERUSER'))).toMatch(
      /^slipway-verify-[0-9a-f]+@example\.com$/,
    );
    expect(testValue(v('UUID'))).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('gives a secret of a number type a number, not a token', () => {
    expect(testValue(v('int', true, 'SMTP_PASSWORD_PIN'))).toMatch(/^\d{5}$/);
  });

  it.each([
    [
      'PostgresDsn',
      'SQLALCHEMY_DATABASE_URI',
      /^postgresql:\/\/slipway:[0-9a-f]+@slipway-verify\.invalid:5432\/slipway$/,
    ],
    ['str', 'DATABASE_URL', /^postgresql:\/\/slipway:[0-9a-f]+@slipway-verify\.invalid:5432\/slipway$/],
    ['str', 'DB_DSN', /^postgresql:\/\//],
    ['RedisDsn', 'CACHE', /^redis:\/\/slipway:[0-9a-f]+@slipway-verify\.invalid:6379\/0$/],
    ['str', 'CELERY_BROKER_URL', /^redis:\/\//],
    ['AmqpDsn', 'QUEUE', /^amqp:\/\/.*:5672\/slipway$/],
    ['MySQLDsn', 'SHOP_DB', /^mysql:\/\/.*:3306\/slipway$/],
    ['MongoDsn', 'DOCS', /^mongodb:\/\/.*:27017\/slipway$/],
    // https keeps no port: pydantic drops the scheme's default port, which would change the text.
    ['HttpUrl', 'WEBHOOK', /^https:\/\/slipway:[0-9a-f]+@slipway-verify\.invalid\/slipway$/],
    ['AnyHttpUrl', 'FRONTEND_HOST', /^https:\/\/slipway-verify|^https:\/\/slipway:/],
    ['str', 'SENTRY_DSN', /^https:\/\/slipway:[0-9a-f]+@slipway-verify\.invalid\/slipway$/],
    ['SecretStr', 'DATABASE_URL', /^postgresql:\/\/slipway:[0-9a-f]{48}@/],
    ['Optional[PostgresDsn]', 'PG', /^postgresql:\/\//],
  ])('%s %s: a URL of the right scheme', (type, name, pattern) => {
    const secret = type === 'SecretStr';
    expect(testValue(v(type, secret, name))).toMatch(pattern);
  });

  it('keeps plain names that only end near URL alone', () => {
    expect(testValue(v('str', false, 'URL_PREFIX'))).toMatch(/^slipway-verify-/);
    expect(testValue(v('str', false, 'CURLY'))).toMatch(/^slipway-verify-/);
  });
});

describe('which settings get a value', () => {
  const target = {
    importPath: 'app.core.config:Settings',
    vars: [
      v('str', false, 'API_V1_STR', false),
      v('int', false, 'ACCESS_TOKEN_EXPIRE_MINUTES', false),
      v('str', true, 'POSTGRES_PWD', true),
      v('SecretStr', true, 'SECRET_KEY', false),
      v('PostgresDsn', false, 'DATABASE_URL', true),
      v('bool', false, 'FEATURE_ON', true),
      v('LogLevel', false, 'LOG_LEVEL', true),
    ],
  };

  it('supplies required fields, secrets among them; fields with a default keep it, secrets too', () => {
    const supply = supplySettings([target]);
    expect(Object.keys(supply.plain).sort()).toEqual(['DATABASE_URL', 'FEATURE_ON']);
    expect(Object.keys(supply.secret).sort()).toEqual(['POSTGRES_PWD']);
    expect(supply.plain.API_V1_STR).toBeUndefined();
    expect(supply.unsupplied.map((u) => [u.variable.name, u.why])).toEqual([
      ['API_V1_STR', 'it has a default, which routes and paths may be built from'],
      ['ACCESS_TOKEN_EXPIRE_MINUTES', 'it has a default, which routes and paths may be built from'],
      [
        'SECRET_KEY',
        'it has a default (a Secret in production replaces it), which the app is built to run with',
      ],
      ['LOG_LEVEL', 'no safe test value for type `LogLevel`'],
    ]);
    const key = supply.values.find((value) => value.variable.name === 'POSTGRES_PWD');
    expect(key?.digest).toBe(sha256(supply.secret.POSTGRES_PWD ?? ''));
  });

  it('supplies a value given by hand, default or not', () => {
    const supply = supplySettings([
      {
        importPath: 'm:S',
        vars: [
          { ...v('LogLevel', false, 'LEVEL'), value: 'warning' },
          { ...v('str', false, 'PREFIX', false), value: '/v2' },
        ],
      },
    ]);
    expect(supply.plain).toEqual({ LEVEL: 'warning', PREFIX: '/v2' });
  });

  it('leaves the route prefix of the full-stack fixture at its default, so its health route is served', async () => {
    const model = await analyzeProject(join(repoRoot, 'test/fixtures/projects/discover-full-stack'));
    const supply = supplySettings(targetFromModel(model).settings);
    expect(model.health.liveness).toBe('/api/v1/utils/health-check/');
    expect(Object.keys(supply.plain)).toEqual([]);
    expect(Object.keys(supply.secret).sort()).toEqual(['JWT_SIGNING', 'POSTGRES_PWD']);
    expect(supply.unsupplied.map((u) => u.variable.name)).toContain('API_V1_STR');
  });
});

describe('secrets in evidence', () => {
  it('redacts secrets and writes env-files without multi-line values', () => {
    expect(redact('key=abcd1234 again abcd1234', ['abcd1234'])).toBe('key=*** again ***');
    expect(envFileText({ A: '1', B: 'two' })).toBe('A=1\nB=two\n');
    expect(() => envFileText({ A: 'x\ny' })).toThrow(/cannot span lines/);
  });
});

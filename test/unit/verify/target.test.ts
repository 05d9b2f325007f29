import { describe, expect, it } from 'vitest';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { DEFAULT_CONFIG } from '../../../src/config/schema.js';
import {
  envFileText,
  redact,
  sha256,
  supplySettings,
  testValue,
} from '../../../src/verify/settings-values.js';
import { defaultTarget, moduleOf, targetFromModel } from '../../../src/verify/target.js';

/** The reference backend as analyze describes it (only what verify reads is filled in with care). */
const reference: ProjectModel = {
  root: '/work/examples/backend',
  name: 'inventory-api',
  version: '0.1.0',
  description: undefined,
  packaged: true,
  layout: 'src',
  sourceRoots: ['src'],
  sourcePaths: ['src/inventory_api'],
  readme: 'README.md',
  workspace: undefined,
  python: { version: '3.13', source: 'requires-python', requiresPython: '>=3.13', image: 'python:3.13-slim' },
  lock: { path: '/work/examples/backend/uv.lock', packages: 30, fresh: true, problems: [] },
  dependencies: ['fastapi', 'uvicorn', 'pydantic-settings'],
  app: {
    module: 'inventory_api.main',
    attribute: 'app',
    factory: false,
    source: 'detected',
    file: undefined,
    line: undefined,
  },
  routes: [],
  health: { liveness: '/healthz', readiness: '/readyz' },
  settings: {
    classes: [{ name: 'Settings', file: 'src/inventory_api/settings.py', line: 12, envPrefix: 'INVENTORY_' }],
    env: [
      {
        name: 'INVENTORY_APP_NAME',
        field: 'app_name',
        settingsClass: 'Settings',
        type: 'str',
        required: false,
        default: '"inventory-api"',
        secret: false,
      },
      {
        name: 'INVENTORY_LOG_LEVEL',
        field: 'log_level',
        settingsClass: 'Settings',
        type: 'LogLevel',
        required: false,
        default: '"info"',
        secret: false,
      },
      {
        name: 'INVENTORY_DATABASE_PATH',
        field: 'database_path',
        settingsClass: 'Settings',
        type: 'Path',
        required: false,
        default: undefined,
        secret: false,
      },
      {
        name: 'INVENTORY_API_KEY',
        field: 'api_key',
        settingsClass: 'Settings',
        type: 'SecretStr',
        required: true,
        default: undefined,
        secret: true,
      },
    ],
  },
  native: { build: [], runtime: [], reasons: [] },
  config: { ...DEFAULT_CONFIG, sizeBudgetMb: 250, gracefulTimeout: 15 },
};

describe('verify targets', () => {
  it('derives everything verify needs from the ProjectModel', () => {
    const target = targetFromModel(reference);
    expect(target).toMatchObject({
      port: DEFAULT_CONFIG.port,
      uid: DEFAULT_CONFIG.uid,
      gid: DEFAULT_CONFIG.gid,
      health: { liveness: '/healthz', readiness: '/readyz' },
      appModule: 'inventory_api.main',
      gracefulTimeoutSeconds: 15,
      gracePeriodSeconds: 25,
      sizeBudgetMb: 250,
      openapiPath: '/openapi.json',
    });
    expect(target.settings).toEqual([
      {
        importPath: 'inventory_api.settings:Settings',
        vars: expect.arrayContaining([
          { name: 'INVENTORY_API_KEY', field: 'api_key', type: 'SecretStr', secret: true, required: true },
        ]),
      },
    ]);
    expect(target.settings[0]?.vars).toHaveLength(4);
  });

  it('uses liveness for readiness when only one route exists, and no path when there is none', () => {
    const target = targetFromModel({ ...reference, health: { liveness: '/health', readiness: undefined } });
    expect(target.health).toEqual({ liveness: '/health', readiness: '/health' });
    expect(
      targetFromModel({ ...reference, health: { liveness: undefined, readiness: undefined } }).health,
    ).toEqual({ liveness: undefined, readiness: undefined });
    const configured = { ...reference.config, health: { liveness: '/api/v1/utils/health-check/' } };
    expect(targetFromModel({ ...reference, config: configured }).health).toEqual({
      liveness: '/api/v1/utils/health-check/',
      readiness: '/readyz',
    });
  });

  it('has defaults for a bare image', () => {
    expect(defaultTarget()).toMatchObject({
      port: 8000,
      uid: 10001,
      gid: 10001,
      sizeBudgetMb: 300,
      settings: [],
    });
    expect(defaultTarget({ gracefulTimeoutSeconds: 3 }).gracePeriodSeconds).toBe(13);
  });

  it('turns settings files into import paths for src and flat layouts', () => {
    const cls = { name: 'S', line: 1, envPrefix: '' };
    expect(moduleOf({ ...cls, file: 'src/inventory_api/settings.py' }, ['src'])).toBe(
      'inventory_api.settings',
    );
    expect(moduleOf({ ...cls, file: 'app/config/__init__.py' }, ['.'])).toBe('app.config');
    expect(moduleOf({ ...cls, file: 'settings.py' }, ['.'])).toBe('settings');
  });
});

describe('settings values', () => {
  const v = (type: string, secret = false) => ({ name: 'X', field: 'x', type, secret, required: false });

  it('invents values that survive the annotated type unchanged', () => {
    expect(testValue(v('str'))).toMatch(/^slipway-verify-[0-9a-f]{12}$/);
    expect(testValue(v('SecretStr', true))).toMatch(/^slipway-verify-[0-9a-f]{48}$/);
    expect(testValue(v('int | None'))).toMatch(/^\d{5}$/);
    expect(testValue(v('Optional[Path]'))).toMatch(/^\/tmp\/slipway-verify-/);
    expect(testValue(v('bool'))).toBe('true');
    expect(testValue(v('Literal["info", "debug"]'))).toBe('debug');
    expect(testValue(v('HttpUrl'))).toBeUndefined();
    expect(testValue(v('LogLevel'))).toBeUndefined();
  });

  it('splits plain values (env) from secrets (env-file) and keeps digests only for comparison', () => {
    const supply = supplySettings(targetFromModel(reference).settings);
    expect(Object.keys(supply.plain).sort()).toEqual(['INVENTORY_APP_NAME', 'INVENTORY_DATABASE_PATH']);
    expect(Object.keys(supply.secret)).toEqual(['INVENTORY_API_KEY']);
    expect(supply.unsupplied.map((u) => u.variable.name)).toEqual(['INVENTORY_LOG_LEVEL']);
    const key = supply.values.find((value) => value.variable.secret);
    expect(key?.digest).toBe(sha256(supply.secret.INVENTORY_API_KEY ?? ''));
  });

  it('uses a value given by hand for a type it cannot invent', () => {
    const supply = supplySettings([
      { importPath: 'm:S', vars: [{ ...v('LogLevel'), name: 'LEVEL', value: 'warning' }] },
    ]);
    expect(supply.plain).toEqual({ LEVEL: 'warning' });
  });

  it('redacts secrets and writes env-files without multi-line values', () => {
    expect(redact('key=abcd1234 again abcd1234', ['abcd1234'])).toBe('key=*** again ***');
    expect(envFileText({ A: '1', B: 'two' })).toBe('A=1\nB=two\n');
    expect(() => envFileText({ A: 'x\ny' })).toThrow(/cannot span lines/);
  });
});

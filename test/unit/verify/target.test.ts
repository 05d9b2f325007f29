import { describe, expect, it } from 'vitest';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { DEFAULT_CONFIG } from '../../../src/config/schema.js';
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

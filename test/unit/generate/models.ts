import type { EnvVar, ProjectModel } from '../../../src/analyze/model.js';
import type { SlipwayConfig } from '../../../src/config/schema.js';

/**
 * Hand-built ProjectModels, one per project shape, as analyze would report them. The generator
 * takes nothing but the model, so these are all its tests need.
 */

type Overrides = Partial<Omit<ProjectModel, 'config'>> & { config?: Partial<SlipwayConfig> };

export function config(overrides: Partial<SlipwayConfig> = {}): SlipwayConfig {
  return {
    app: undefined,
    pythonVersion: undefined,
    port: 8000,
    uid: 10001,
    gid: 10001,
    workers: 1,
    gracefulTimeout: 20,
    sizeBudgetMb: 300,
    apt: { build: [], runtime: [] },
    health: { liveness: undefined, readiness: undefined },
    image: { name: undefined, registry: undefined },
    maintainer: undefined,
    source: undefined,
    kubernetes: {
      namespace: undefined,
      replicas: 2,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi', cpu: undefined } },
    },
    ignore: [],
    outputs: ['kustomize'],
    base: 'slim',
    ...overrides,
  };
}

function env(name: string, more: Partial<EnvVar> = {}): EnvVar {
  return {
    name,
    field: name.toLowerCase(),
    settingsClass: 'Settings',
    type: 'str',
    required: false,
    default: undefined,
    secret: false,
    ...more,
  };
}

export function model(overrides: Overrides = {}): ProjectModel {
  const { config: configOverrides, ...rest } = overrides;
  return {
    root: '/projects/shop',
    name: 'shop',
    version: '1.4.0',
    description: 'Packaged src-layout FastAPI service.',
    packaged: true,
    layout: 'src',
    sourceRoots: ['src'],
    sourcePaths: ['src/shop'],
    readme: 'README.md',
    workspace: undefined,
    python: {
      version: '3.13',
      source: 'requires-python',
      requiresPython: '>=3.13',
      image: 'python:3.13-slim',
    },
    lock: { path: '/projects/shop/uv.lock', packages: 21, fresh: true, problems: [] },
    dependencies: ['fastapi', 'pydantic-settings', 'uvicorn'],
    app: {
      module: 'shop.main',
      attribute: 'app',
      factory: false,
      source: 'detected',
      file: 'src/shop/main.py',
      line: 9,
    },
    routes: [
      { method: 'GET', path: '/health/live', file: 'src/shop/routers/health.py', line: 6 },
      { method: 'GET', path: '/health/ready', file: 'src/shop/routers/health.py', line: 11 },
    ],
    health: { liveness: '/health/live', readiness: '/health/ready' },
    settings: {
      classes: [{ name: 'Settings', file: 'src/shop/settings.py', line: 5, envPrefix: 'SHOP_' }],
      env: [
        env('SHOP_DEBUG', { field: 'debug', type: 'bool', default: 'False' }),
        env('SHOP_LOG_LEVEL', { field: 'log_level', default: '"info"' }),
        env('SHOP_DATABASE_URL', { field: 'database_url', required: true, secret: true }),
        env('SHOP_API_TOKEN', { field: 'api_token', type: 'SecretStr', required: true, secret: true }),
      ],
    },
    native: { build: [], runtime: [], reasons: [] },
    ...rest,
    config: config(configOverrides),
  };
}

/** The shapes the golden snapshots cover. */
export const cases: Record<string, ProjectModel> = {
  'src-layout': model(),
  'flat-virtual': model({
    root: '/projects/billing-api',
    name: 'billing-api',
    version: '0.9.0',
    description: 'Virtual uv project: source copied into the image, not installed.',
    packaged: false,
    layout: 'flat',
    sourceRoots: ['.'],
    sourcePaths: ['app'],
    python: {
      version: '3.12',
      source: '.python-version',
      requiresPython: '>=3.12',
      image: 'python:3.12-slim',
    },
    app: {
      module: 'app.main',
      attribute: 'app',
      factory: false,
      source: 'detected',
      file: 'app/main.py',
      line: 8,
    },
    health: { liveness: '/healthz', readiness: '/readyz' },
    settings: {
      classes: [{ name: 'Settings', file: 'app/settings.py', line: 4, envPrefix: 'API_' }],
      env: [
        env('API_LOG_LEVEL', { default: "'info'" }),
        env('API_STRIPE_KEY', { type: 'SecretStr', required: true, secret: true }),
        env('API_ADMIN_PASSWORD', { type: 'SecretStr | None', secret: true }),
      ],
    },
  }),
  factory: model({
    root: '/projects/factoryapp',
    name: 'factoryapp',
    version: '0.3.0',
    layout: 'flat',
    sourceRoots: ['.'],
    sourcePaths: ['factoryapp'],
    app: {
      module: 'factoryapp.app',
      attribute: 'create_app',
      factory: true,
      source: 'detected',
      file: 'factoryapp/app.py',
      line: 12,
    },
    health: { liveness: '/livez', readiness: '/readyz' },
    settings: { classes: [], env: [] },
    config: {
      workers: 2,
      maintainer: 'Platform Team <platform@example.com>',
      source: 'https://git.example.com/factoryapp',
    },
  }),
  'workspace-member': model({
    root: '/projects/platform/services/api',
    name: 'api',
    version: '0.2.0',
    description: 'A member of a uv workspace.',
    sourcePaths: ['src/api'],
    workspace: { root: '/projects/platform', member: 'services/api', package: 'api' },
    lock: { path: '/projects/platform/uv.lock', packages: 30, fresh: true, problems: [] },
    app: {
      module: 'api.main',
      attribute: 'app',
      factory: false,
      source: 'fastapi-entrypoint',
      file: 'src/api/main.py',
      line: 3,
    },
    health: { liveness: '/health', readiness: '/health' },
    settings: { classes: [], env: [] },
  }),
  'native-deps': model({
    root: '/projects/orders',
    name: 'orders',
    version: '0.1.0',
    sourcePaths: ['src/orders'],
    app: {
      module: 'orders.main',
      attribute: 'app',
      factory: false,
      source: 'detected',
      file: 'src/orders/main.py',
      line: 5,
    },
    health: { liveness: '/health', readiness: '/health' },
    settings: { classes: [], env: [] },
    native: {
      build: ['libpq-dev', 'gcc'],
      runtime: ['libpq5'],
      reasons: ['psycopg2 2.9.10 has no wheel: gcc, libpq-dev'],
    },
    config: { apt: { build: ['gcc'], runtime: ['tini'] } },
  }),
  'custom-port-user': model({
    root: '/projects/gateway',
    name: 'gateway',
    version: '1.0.0+build.7',
    packaged: false,
    layout: 'flat',
    sourceRoots: ['.'],
    sourcePaths: ['api', 'main.py'],
    app: {
      module: 'api.public',
      attribute: 'app',
      factory: false,
      source: 'slipway-config',
      file: undefined,
      line: undefined,
    },
    health: { liveness: undefined, readiness: undefined },
    settings: { classes: [], env: [] },
    config: {
      port: 8080,
      uid: 20000,
      gid: 20001,
      gracefulTimeout: 45,
      health: { liveness: '/status', readiness: undefined },
      image: { name: 'edge-gateway', registry: 'registry.example.com/team/' },
      kubernetes: {
        namespace: 'edge',
        replicas: 3,
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi', cpu: '1' } },
      },
    },
  }),
};

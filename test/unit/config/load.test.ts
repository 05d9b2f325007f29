import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { DEFAULT_CONFIG } from '../../../src/config/schema.js';
import { ProjectError } from '../../../src/errors.js';

const FILE = '/p/pyproject.toml';

function problem(tool: unknown): ProjectError {
  try {
    loadConfig(tool, FILE);
  } catch (error) {
    return error as ProjectError;
  }
  throw new Error('loadConfig accepted it');
}

describe('loadConfig', () => {
  it('fills every default when [tool.slipway] is absent or empty', () => {
    expect(loadConfig(undefined, FILE)).toEqual(DEFAULT_CONFIG);
    expect(loadConfig({}, FILE)).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({
      port: 8000,
      uid: 10001,
      gid: 10001,
      workers: 1,
      gracefulTimeout: 20,
      sizeBudgetMb: 300,
      kubernetes: {
        replicas: 2,
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      },
    });
  });

  it('maps every kebab-case key and keeps the defaults of the keys not given', () => {
    const config = loadConfig(
      {
        app: 'svc.main:create_app()',
        'python-version': '3.12',
        port: 8080,
        uid: 2000,
        gid: 3000,
        workers: 2,
        'graceful-timeout': 30,
        'size-budget-mb': 250,
        apt: { build: ['gcc'], runtime: ['libpq5'] },
        health: { liveness: '/livez' },
        image: { name: 'acme/svc', registry: 'ghcr.io/acme' },
        maintainer: 'Platform <platform@example.org>',
        source: 'https://example.org/svc',
        kubernetes: { namespace: 'svc', replicas: 3, resources: { limits: { cpu: 1, memory: '1Gi' } } },
        ignore: [{ id: 'SW001', reason: 'the base image is pinned by digest elsewhere' }],
      },
      FILE,
    );
    expect(config).toEqual({
      app: 'svc.main:create_app()',
      pythonVersion: '3.12',
      port: 8080,
      uid: 2000,
      gid: 3000,
      workers: 2,
      gracefulTimeout: 30,
      sizeBudgetMb: 250,
      apt: { build: ['gcc'], runtime: ['libpq5'] },
      health: { liveness: '/livez', readiness: undefined },
      image: { name: 'acme/svc', registry: 'ghcr.io/acme' },
      maintainer: 'Platform <platform@example.org>',
      source: 'https://example.org/svc',
      kubernetes: {
        namespace: 'svc',
        replicas: 3,
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      },
      ignore: [{ id: 'SW001', reason: 'the base image is pinned by digest elsewhere' }],
      outputs: ['kustomize'],
      base: 'slim',
    });
  });

  it('keeps outputs and groups as given', () => {
    expect(
      loadConfig({ outputs: ['kustomize', 'helm'], groups: ['server'] }, 'pyproject.toml'),
    ).toMatchObject({
      outputs: ['kustomize', 'helm'],
      groups: ['server'],
    });
  });

  it.each([
    [{ port: '8080' }, 'tool.slipway.port: expected number, got string'],
    [{ port: 80.5 }, 'tool.slipway.port: expected integer, got a fraction'],
    [{ port: 70000 }, 'tool.slipway.port: must be at most 65535'],
    [{ uid: 0 }, 'tool.slipway.uid: must be at least 1'],
    [{ 'size-budget-mb': 400 }, 'tool.slipway.size-budget-mb: must be at most 300'],
    [{ prot: 80 }, 'tool.slipway.prot: unknown key'],
    [{ apt: { biuld: [] } }, 'tool.slipway.apt.biuld: unknown key'],
    [
      { apt: { runtime: ['libpq5; rm -rf /'] } },
      'tool.slipway.apt.runtime[0]: expected a Debian package name',
    ],
    [{ app: 'main' }, 'tool.slipway.app: expected module:attribute'],
    [{ 'python-version': '3' }, 'tool.slipway.python-version: expected a Python version X.Y'],
    [{ health: { readiness: 'ready' } }, 'tool.slipway.health.readiness: expected a path starting with /'],
    [{ image: { name: 'My_App' } }, 'tool.slipway.image.name: expected a lower-case image name'],
    [
      { kubernetes: { namespace: 'Prod' } },
      'tool.slipway.kubernetes.namespace: expected a Kubernetes namespace',
    ],
    [
      { kubernetes: { resources: { requests: { memory: '1 GB' } } } },
      'tool.slipway.kubernetes.resources.requests.memory: expected a Kubernetes quantity',
    ],
    [
      { kubernetes: { resources: { limits: { cpu: true } } } },
      'tool.slipway.kubernetes.resources.limits.cpu: expected a string or a number',
    ],
    [{ ignore: [{ id: 'SW001' }] }, 'tool.slipway.ignore[0].reason: expected string, got undefined'],
    [{ maintainer: '' }, 'tool.slipway.maintainer: must not be empty'],
    [{ outputs: ['kustomize', 'chart'] }, 'tool.slipway.outputs[1]: '],
    [{ outputs: [] }, 'tool.slipway.outputs: '],
    [{ outputs: ['helm', 'helm'] }, 'tool.slipway.outputs: expected each output once'],
    [{ groups: ['no spaces'] }, 'tool.slipway.groups[0]: expected a group name such as server'],
    [{ base: 'alpine' }, 'tool.slipway.base: '],
    [{ services: ['postgres', 'postgres'] }, 'tool.slipway.services: expected each service once'],
    [{ services: ['oracle'] }, 'tool.slipway.services[0]: '],
    [{ migrate: '' }, 'tool.slipway.migrate: '],
    ['port = 1', 'tool.slipway: expected object, got string'],
  ])('rejects %j naming the key path', (tool, message) => {
    const error = problem(tool);
    expect(error).toBeInstanceOf(ProjectError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`${FILE}: invalid [tool.slipway]`);
    expect(error.message).toContain(message);
    expect(error.fix).toContain(FILE);
  });

  it('reports every problem at once', () => {
    expect(problem({ port: 'x', workers: 0 }).message.split('\n').slice(1)).toEqual([
      '  tool.slipway.port: expected number, got string',
      '  tool.slipway.workers: must be at least 1',
    ]);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectModel } from '../../../src/analyze/model.js';
import type { CheckInput, LockState } from '../../../src/check/types.js';
import { DEFAULT_CONFIG } from '../../../src/config/schema.js';
import { manifestSet } from '../../../src/kube/objects.js';
import { repoRoot } from '../../helpers/cli.js';

/** Whether `kubectl kustomize` can run here (the renderer tests compare against it when it can). */
export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['kustomize', '--help'], { stdio: 'ignore' }).status === 0;
}

export const fixturesRoot = join(repoRoot, 'test', 'fixtures', 'check');

/** The project the rule fixtures describe: a packaged src-layout `shop` on port 8000, uid 10001. */
export function baseModel(overrides: Partial<ProjectModel> = {}): ProjectModel {
  return {
    root: '/projects/shop',
    name: 'shop',
    version: '1.0.0',
    description: undefined,
    packaged: true,
    layout: 'src',
    sourceRoots: ['src'],
    sourcePaths: ['src/shop'],
    readme: undefined,
    workspace: undefined,
    python: {
      version: '3.13',
      source: 'requires-python',
      requiresPython: '>=3.13',
      image: 'python:3.13-slim',
    },
    lock: { path: '/projects/shop/uv.lock', packages: 10, fresh: true, problems: [] },
    dependencies: ['fastapi', 'uvicorn'],
    app: {
      module: 'shop.main',
      attribute: 'app',
      factory: false,
      source: 'detected',
      file: 'src/shop/main.py',
      line: 5,
    },
    routes: [],
    health: { liveness: '/healthz', readiness: '/readyz' },
    settings: { classes: [], env: [] },
    native: { build: [], runtime: [], reasons: [] },
    config: DEFAULT_CONFIG,
    ...overrides,
  };
}

export interface ExpectedFinding {
  readonly file: string;
  readonly line: number;
}

/**
 * A fixture folder as checkFiles input: `Dockerfile`, `.dockerignore`, every `*.yaml` (one
 * manifest set), `model.json` (fields over baseModel), `lock.json` (a LockState).
 */
export function loadFixture(dir: string): CheckInput {
  const names = readdirSync(dir).sort();
  const read = (name: string) => ({ path: name, text: readFileSync(join(dir, name), 'utf8') });
  const json = <T>(name: string): T | undefined =>
    existsSync(join(dir, name)) ? (JSON.parse(readFileSync(join(dir, name), 'utf8')) as T) : undefined;
  const yaml = names.filter((name) => /\.ya?ml$/.test(name)).map(read);
  const model = json<Partial<ProjectModel>>('model.json');
  const lock = json<LockState>('lock.json');
  return {
    dockerfiles: names.filter((name) => name === 'Dockerfile').map(read),
    ...(names.includes('.dockerignore') ? { dockerignore: read('.dockerignore') } : {}),
    manifests: yaml.length > 0 ? [manifestSet('.', yaml)] : [],
    ...(model ? { model: baseModel(model) } : {}),
    ...(lock ? { lock } : {}),
  };
}

export function expectedFindings(dir: string): ExpectedFinding[] {
  return JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8')) as ExpectedFinding[];
}

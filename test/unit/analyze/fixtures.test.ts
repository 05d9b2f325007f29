import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import { ProjectError } from '../../../src/errors.js';
import { repoRoot } from '../../helpers/cli.js';

const projects = join(repoRoot, 'test', 'fixtures', 'projects');

/** Folders holding an expected.json: a workspace member's sits below the workspace root. */
function fixtureDirs(dir: string): string[] {
  if (existsSync(join(dir, 'expected.json'))) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .flatMap((e) => fixtureDirs(join(dir, e.name)));
}

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
const good = fixtureDirs(projects).filter((d) => !relative(projects, d).startsWith('bad'));
const bad = existsSync(join(projects, 'bad')) ? fixtureDirs(join(projects, 'bad')) : [];

describe('analyzeProject on the fixture projects', () => {
  it.each(good.map((d) => [relative(projects, d), d]))('%s', async (_name, dir) => {
    const expected = read(dir);
    const model = await analyzeProject(dir);
    const actual: Record<string, unknown> = {
      app: { module: model.app.module, attribute: model.app.attribute, factory: model.app.factory },
      python: model.python.version,
      packaged: model.packaged,
      layout: model.layout,
      health: model.health,
      env: model.settings.env.map((e) => ({ name: e.name, secret: e.secret, required: e.required })),
      native: { build: model.native.build, runtime: model.native.runtime },
    };
    if ('port' in expected) actual.port = model.config.port;
    if ('workspace' in expected) {
      const { workspace } = model;
      actual.workspace = workspace && { ...workspace, root: relative(dir, workspace.root) };
    }
    expect(actual).toEqual(expected);
    expect(model.lock.fresh).toBe(true);
    expect(model.python.image).toBe(`python:${expected.python}-slim`);
  });
});

describe('analyzeProject on the bad fixtures', () => {
  it.each(bad.map((d) => [relative(projects, d), d]))('%s', async (_name, dir) => {
    const expected = read(dir);
    const error = await analyzeProject(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    const { message, fix, exitCode } = error as ProjectError;
    expect(exitCode).toBe(2);
    expect(message).toContain(expected.error);
    for (const mention of expected.mentions ?? []) expect(message).toContain(mention);
    expect(fix).toContain(expected.fix);
  });
});

describe('analyzeProject on the reference backend', () => {
  it('finds the app, Python 3.13, the src layout, the probes and the settings', async () => {
    const model = await analyzeProject(join(repoRoot, 'examples', 'backend'));
    expect(model.name).toBe('inventory-api');
    expect(model.app).toMatchObject({
      module: 'inventory_api.main',
      attribute: 'app',
      factory: false,
      source: 'detected',
    });
    expect(model.app.file).toBe('src/inventory_api/main.py');
    expect(model.python).toMatchObject({
      version: '3.13',
      source: '.python-version',
      image: 'python:3.13-slim',
    });
    expect(model).toMatchObject({
      layout: 'src',
      packaged: true,
      sourceRoots: ['src'],
      sourcePaths: ['src/inventory_api'],
    });
    expect(model.workspace).toBeUndefined();
    expect(model.health).toEqual({ liveness: '/healthz', readiness: '/readyz' });
    expect(model.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /healthz',
      'GET /readyz',
      'GET /api/items',
      'GET /api/items/{item_id}',
      'POST /api/items',
      'PUT /api/items/{item_id}',
      'DELETE /api/items/{item_id}',
    ]);
    expect(model.settings.classes).toEqual([
      { name: 'Settings', file: 'src/inventory_api/settings.py', line: 12, envPrefix: 'INVENTORY_' },
    ]);
    expect(model.settings.env.map((e) => [e.name, e.required, e.secret, e.default])).toEqual([
      ['INVENTORY_APP_NAME', false, false, 'inventory-api'],
      ['INVENTORY_LOG_LEVEL', false, false, 'info'],
      ['INVENTORY_DATABASE_PATH', false, false, '/tmp/inventory.db'],
      ['INVENTORY_API_KEY', true, true, undefined],
    ]);
    expect(model.dependencies).toEqual(['fastapi', 'uvicorn', 'pydantic-settings']);
    expect(model.native).toEqual({ build: [], runtime: [], reasons: [] });
  });
});

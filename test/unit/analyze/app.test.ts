import { describe, expect, it } from 'vitest';
import { chooseApp, findAppCandidates } from '../../../src/analyze/app.js';
import { analyzeProject } from '../../../src/analyze/index.js';
import { buildRouteGraph } from '../../../src/analyze/routes.js';
import { ProjectError } from '../../../src/errors.js';
import { LOCK, modulesOf, PYPROJECT, writeProject } from './helpers.js';

const candidates = (sources: Record<string, string>) => {
  const modules = modulesOf(sources);
  return findAppCandidates(modules, buildRouteGraph(modules)).map(
    (c) => `${c.module}:${c.attribute}${c.factory ? '()' : ''} line ${c.line}`,
  );
};

const choose = (sources: Record<string, string>, value?: string) => {
  const modules = modulesOf(sources);
  const override = value
    ? { value, source: 'slipway-config' as const, where: '[tool.slipway] app' }
    : undefined;
  return chooseApp(modules, buildRouteGraph(modules), override, ['src/x']);
};

describe('app detection', () => {
  it('finds module-level instances, also fastapi.FastAPI, aliases and annotated assignments', () => {
    expect(
      candidates({
        a: 'from fastapi import FastAPI\napp = FastAPI()\n',
        b: 'import fastapi\n\napi: fastapi.FastAPI = fastapi.FastAPI(title="b")\n',
        c: 'from fastapi import FastAPI as F\nserver = F()\n',
        d: 'from other import FastAPI\nnot_an_app = FastAPI()\n',
      }),
    ).toEqual(['a:app line 2', 'b:api line 3', 'c:server line 2']);
  });

  it('finds factories only when no module-level app exists', () => {
    const factories = {
      'pkg.factory': `
from fastapi import FastAPI

def create_app() -> FastAPI:
    app = FastAPI()
    return app

async def helper():
    return 1
`,
      'pkg.other': `
import fastapi
import functools

@functools.cache
def build():
    return fastapi.FastAPI()

def typed() -> "fastapi.FastAPI":
    ...
`,
    };
    expect(candidates(factories)).toEqual(['pkg.factory:create_app() line 4', 'pkg.other:build() line 6']);
    expect(
      candidates({ ...factories, 'pkg.main': 'from fastapi import FastAPI\napp = FastAPI()\n' }),
    ).toEqual(['pkg.main:app line 2']);
  });

  it('does not count a sub-app that another app mounts', () => {
    expect(
      candidates({
        main: 'from fastapi import FastAPI\nfrom admin import admin\napp = FastAPI()\napp.mount("/admin", admin)\n',
        admin: 'from fastapi import FastAPI\nadmin = FastAPI()\n',
      }),
    ).toEqual(['main:app line 3']);
  });

  it('lists every candidate with file:line when there are several', () => {
    const error = (() => {
      try {
        return choose({
          a: 'import fastapi\napp = fastapi.FastAPI()\n',
          b: 'import fastapi\napp = fastapi.FastAPI()\n',
        });
      } catch (e) {
        return e;
      }
    })() as ProjectError;
    expect(error).toBeInstanceOf(ProjectError);
    expect(error.message).toBe(
      'several FastAPI apps found and no start command of the project names one: a:app (a.py:2), b:app (b.py:2)',
    );
    expect(error.fix).toBe(
      'choose one with [tool.slipway] app = "a:app" in pyproject.toml (candidates: a:app, b:app)',
    );
  });

  it('takes an override: an instance, a factory with or without (), a module outside the sources', () => {
    const sources = {
      main: 'from fastapi import FastAPI\napp = FastAPI()\ndef make() -> FastAPI:\n    return FastAPI()\nother = app\n',
    };
    expect(choose(sources, 'main:app')).toMatchObject({
      factory: false,
      file: 'main.py',
      line: 2,
      source: 'slipway-config',
    });
    expect(choose(sources, 'main:make')).toMatchObject({ factory: true, line: 3 });
    expect(choose(sources, 'main:make()')).toMatchObject({ factory: true, line: 3 });
    expect(choose(sources, 'main:other')).toMatchObject({ factory: false, line: 5, objectKey: undefined });
    expect(choose(sources, 'vendor.app:app()')).toMatchObject({
      factory: true,
      file: undefined,
      line: undefined,
    });
  });

  it('rejects an override that names nothing in its module', () => {
    expect(() => choose({ main: 'x = 1\n' }, 'main:app')).toThrow(
      '[tool.slipway] app: "main:app": main.py defines no app',
    );
    expect(() => choose({ main: 'x = 1\n' }, 'main')).toThrow('is not module:attribute');
  });
});

describe('analyzeProject app precedence', () => {
  const files = {
    'pyproject.toml': PYPROJECT,
    'uv.lock': LOCK,
    '.python-version': '3.12\n',
    'one.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    'two.py': 'from fastapi import FastAPI\napi = FastAPI()\n',
  };

  it('[tool.slipway] app wins over [tool.fastapi] entrypoint, which wins over detection', async () => {
    const both = `${PYPROJECT}\n[tool.fastapi]\nentrypoint = "one:app"\n[tool.slipway]\napp = "two:api"\n`;
    expect((await analyzeProject(writeProject({ ...files, 'pyproject.toml': both }))).app).toMatchObject({
      module: 'two',
      attribute: 'api',
      source: 'slipway-config',
    });
    const entry = `${PYPROJECT}\n[tool.fastapi]\nentrypoint = "one:app"\n`;
    expect((await analyzeProject(writeProject({ ...files, 'pyproject.toml': entry }))).app).toMatchObject({
      module: 'one',
      source: 'fastapi-entrypoint',
    });
  });

  it('rejects an entrypoint that is not a string', async () => {
    const bad = `${PYPROJECT}\n[tool.fastapi]\nentrypoint = 1\n`;
    await expect(analyzeProject(writeProject({ ...files, 'pyproject.toml': bad }))).rejects.toThrow(
      'tool.fastapi.entrypoint: expected a string',
    );
  });

  it('reports an invalid [tool.slipway] with its key path before anything else', async () => {
    const bad = `${PYPROJECT}\n[tool.slipway]\nport = "80"\n`;
    const error = await analyzeProject(writeProject({ ...files, 'pyproject.toml': bad })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).message).toContain('tool.slipway.port: expected number, got string');
    expect((error as ProjectError).exitCode).toBe(2);
  });
});

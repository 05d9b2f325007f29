import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { sourcesOutsideWheel, wheelTopLevels } from '../../../src/analyze/packaging.js';
import { parsePyproject } from '../../../src/analyze/pyproject.js';
import { findRuntimeFiles, runtimeFilesToCopy } from '../../../src/analyze/runtime-files.js';
import { modulesOf, writeProject } from './helpers.js';

const pyproject = (toml: string, files: Record<string, string> = {}) => {
  const dir = writeProject(files);
  return parsePyproject(
    `${dir}/pyproject.toml`,
    dir,
    parse(`[project]\nname = "my-app"\nversion = "1"\n${toml}`),
  );
};
const backend = (name: string) => `[build-system]\nrequires = ["x"]\nbuild-backend = "${name}"\n`;

describe('what the wheel installs', () => {
  it.each([
    [
      'setuptools packages',
      `${backend('setuptools.build_meta')}[tool.setuptools]\npackages = ["core", "core.sub"]\npy-modules = ["cli"]\n`,
      {},
      ['core', 'cli'],
    ],
    [
      'setuptools packages.find',
      `${backend('setuptools.build_meta')}[tool.setuptools.packages.find]\nwhere = ["lib"]\ninclude = ["kit*"]\n`,
      { 'lib/kit/__init__.py': '', 'lib/other/__init__.py': '' },
      ['kit'],
    ],
    [
      'uv_build module-name',
      `${backend('uv_build')}[tool.uv.build-backend]\nmodule-name = "svc.core"\n`,
      {},
      ['svc'],
    ],
    ['uv_build default', backend('uv_build'), {}, ['my_app']],
    [
      'flit module',
      `${backend('flit_core.buildapi')}[tool.flit.module]\nname = "flitmod"\n`,
      {},
      ['flitmod'],
    ],
    [
      'poetry packages',
      `${backend('poetry.core.masonry.api')}[tool.poetry]\npackages = [{ include = "pkg", from = "src" }]\n`,
      {},
      ['pkg'],
    ],
    [
      'hatch packages',
      `${backend('hatchling.build')}[tool.hatch.build.targets.wheel]\npackages = ["src"]\n`,
      {},
      ['src'],
    ],
    // only-include keeps the path as it is: without sources, src/app installs as src.app.
    [
      'hatch only-include',
      `${backend('hatchling.build')}[tool.hatch.build.targets.wheel]\nonly-include = ["src/app"]\n`,
      {},
      ['src'],
    ],
    [
      'hatch only-include with sources = ["src"]',
      `${backend('hatchling.build')}[tool.hatch.build.targets.wheel]\nonly-include = ["src/app"]\nsources = ["src"]\n`,
      {},
      ['app'],
    ],
    [
      'hatch sources renaming a folder',
      `${backend('hatchling.build')}[tool.hatch.build.targets.wheel]\nonly-include = ["src/orders_service"]\n[tool.hatch.build.targets.wheel.sources]\n"src/orders_service" = "orders"\n`,
      {},
      ['orders'],
    ],
    [
      'hatch sources adding a prefix',
      `${backend('hatchling.build')}[tool.hatch.build.targets.wheel]\nonly-include = ["api.py"]\n[tool.hatch.build.targets.wheel.sources]\n"" = "svc"\n`,
      {},
      ['svc'],
    ],
    [
      'hatch global build table, plain include paths',
      `${backend('hatchling.build')}[tool.hatch.build]\ninclude = ["lib/shop", "lib/**/*.json"]\nsources = ["lib"]\n`,
      {},
      ['shop'],
    ],
    [
      'pdm-backend includes under package-dir',
      `${backend('pdm.backend')}[tool.pdm.build]\npackage-dir = "src"\nincludes = ["src/ledger", "src/cli.py"]\n`,
      {},
      ['ledger', 'cli'],
    ],
    [
      'pdm-backend includes, src found by default',
      `${backend('pdm.backend')}[tool.pdm.build]\nincludes = ["src/ledger"]\n`,
      { 'src/ledger/__init__.py': '' },
      ['ledger'],
    ],
    [
      'pdm-backend includes, flat',
      `${backend('pdm.backend')}[tool.pdm.build]\nincludes = ["server/", "worker.py"]\n`,
      {},
      ['server', 'worker'],
    ],
    ['pdm-backend discovery', backend('pdm.backend'), {}, undefined],
    ['hatch discovery', backend('hatchling.build'), {}, undefined],
  ])('%s', (_name, toml, files, expected) => {
    expect(wheelTopLevels(pyproject(toml, files))).toEqual(expected);
  });

  it('names the sources the app imports that the wheel leaves out', () => {
    const project = pyproject(
      `${backend('setuptools.build_meta')}[tool.setuptools]\npackages = ["notes_core"]\n`,
    );
    const modules = modulesOf({
      'api/__init__': '',
      'api.main':
        'from notes_core import x\nfrom helpers.util import y\nfrom fastapi import FastAPI\napp = FastAPI()\n',
      'notes_core/__init__': '',
      'helpers/__init__': '',
      'unused/__init__': '',
    });
    const paths = ['api', 'helpers', 'notes_core', 'unused'];
    expect(sourcesOutsideWheel(project, true, 'api.main', modules, paths)).toEqual(['api', 'helpers']);
    expect(sourcesOutsideWheel(project, true, 'notes_core.app', modules, paths)).toEqual([]);
    expect(sourcesOutsideWheel(project, false, 'api.main', modules, paths)).toEqual([]);
  });
});

describe('files the app opens at run time', () => {
  const FILES = {
    'alembic.ini': '[alembic]\nscript_location = %(here)s/db/migrations\n',
    'db/migrations/env.py': '',
    'webapp/dist/index.html': '',
    'app/templates/a.html': '',
    'app/prompts/system.txt': '',
    'app/data.json': '{}',
    'config/rules.yaml': '',
    'static/site.css': '',
  };
  const SOURCES = {
    'app/__init__': '',
    'app.main': `
import os
from pathlib import Path
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.staticfiles import StaticFiles as SF

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
PROMPT = (HERE / "prompts" / "system.txt").read_text()
DATA = open(os.path.join(os.path.dirname(__file__), "data.json")).read()
RULES = Path("config/rules.yaml").read_text()
frontend = StaticFiles(directory="webapp/dist", html=True)
assets = SF(directory="./static")
missing = StaticFiles(directory="nowhere", check_dir=False)
`,
  };

  it('finds StaticFiles, Jinja2Templates, reads beside a module or the working directory, alembic', () => {
    const root = writeProject(FILES);
    const found = findRuntimeFiles(root, modulesOf(SOURCES), ['fastapi', 'alembic']);
    expect(found.map((f) => [f.path, f.besideModule === true])).toEqual([
      ['alembic.ini', false],
      ['app/data.json', true],
      ['app/prompts/system.txt', true],
      ['app/templates', true],
      ['config/rules.yaml', false],
      ['db/migrations', false],
      ['static', false],
      ['webapp/dist', false],
    ]);
    expect(found.find((f) => f.path === 'webapp/dist')?.why).toBe(
      'StaticFiles(directory=...) in app/main.py:13',
    );
  });

  it('copies what no source copy or wheel holds; package data beside modules rides in the wheel', () => {
    const root = writeProject(FILES);
    const copy = (packaged: boolean, copied: string[]) =>
      runtimeFilesToCopy(root, modulesOf(SOURCES), ['alembic'], packaged, copied, ['app']).map((f) => f.path);
    expect(copy(true, [])).toEqual([
      'alembic.ini',
      'config/rules.yaml',
      'db/migrations',
      'static',
      'webapp/dist',
    ]);
    expect(copy(false, ['app'])).toEqual([
      'alembic.ini',
      'config/rules.yaml',
      'db/migrations',
      'static',
      'webapp/dist',
    ]);
    // Without alembic among the dependencies, alembic.ini is no runtime file.
    expect(runtimeFilesToCopy(root, [], [], true, [], []).map((f) => f.path)).toEqual([]);
  });
});

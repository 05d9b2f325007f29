import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import { detectLayout } from '../../../src/analyze/layout.js';
import { parsePyproject, readPyproject } from '../../../src/analyze/pyproject.js';
import { findWorkspace, globToRegExp } from '../../../src/analyze/workspace.js';
import { ProjectError } from '../../../src/errors.js';
import { LOCK, PYPROJECT, writeProject } from './helpers.js';

const pyproject = (toml: string, dir = '/p') => parsePyproject(`${dir}/pyproject.toml`, dir, parse(toml));

describe('pyproject.toml', () => {
  it('is packaged with a build-system unless [tool.uv] package = false', () => {
    const build = '\n[build-system]\nrequires = ["uv_build"]\nbuild-backend = "uv_build"\n';
    expect(pyproject(PYPROJECT).packaged).toBe(false);
    expect(pyproject(PYPROJECT + build).packaged).toBe(true);
    expect(pyproject(`${PYPROJECT}${build}\n[tool.uv]\npackage = false\n`).packaged).toBe(false);
  });

  it('reads the readme file the build backend needs, as a path or a table', () => {
    const withReadme = (value: string) =>
      pyproject(PYPROJECT.replace(/^(\[project\]\n)/m, `$1readme = ${value}\n`)).readme;
    expect(pyproject(PYPROJECT).readme).toBeUndefined();
    expect(withReadme('"docs/README.md"')).toBe('docs/README.md');
    expect(withReadme('{ file = "README.rst", content-type = "text/x-rst" }')).toBe('README.rst');
    expect(withReadme('{ text = "inline", content-type = "text/plain" }')).toBeUndefined();
    expect(() => withReadme('42')).toThrow(/project\.readme: expected a file path/);
  });

  it('reads name, version, description and groups with legacy dev-dependencies merged', () => {
    const project = pyproject(
      `${PYPROJECT}description = "d"\n[dependency-groups]\nDev = ["pytest"]\n[tool.uv]\ndev-dependencies = ["ruff"]\n`,
    );
    expect(project).toMatchObject({
      name: 'demo',
      version: '1.0.0',
      description: 'd',
      requiresPython: '>=3.12',
    });
    expect(project.dependencyGroups).toEqual({ dev: ['pytest', 'ruff'] });
    expect(pyproject('[project]\nname = "x"\ndynamic = ["version"]\n').version).toBe('0.0.0');
  });

  it('rejects a missing name, wrong types and include-group cycles', () => {
    expect(() => pyproject('[project]\nversion = "1"\n')).toThrow('[project] name is missing');
    expect(() => pyproject('[project]\nname = "x"\ndependencies = "fastapi"\n')).toThrow(
      'project.dependencies: expected an array of strings',
    );
    expect(() => pyproject('[project]\nname = 1\n')).toThrow('project.name: expected a string');
    expect(() =>
      pyproject(
        '[project]\nname = "x"\n[dependency-groups]\na = [{include-group = "b"}]\nb = [{include-group = "a"}]\n',
      ),
    ).toThrow('includes itself');
    expect(() => pyproject('[project]\nname = "x"\n[dependency-groups]\na = "pytest"\n')).toThrow(
      'dependency-groups.a: expected an array',
    );
    expect(() => pyproject('[project]\nname = "x"\n[dependency-groups]\na = [1]\n')).toThrow(
      'expected strings or {include-group',
    );
  });

  it('reports invalid TOML with line and column', async () => {
    const dir = writeProject({ 'pyproject.toml': '[project]\nname = "x"\nversion = \n' });
    await expect(readPyproject(dir)).rejects.toThrow(/pyproject\.toml: invalid TOML at line 3, column \d+/);
  });
});

describe('layout', () => {
  it('finds src layout, flat packages and modules, and skips tests, tools and nested projects', () => {
    const src = writeProject({ 'src/shop/__init__.py': '', 'src/shop/main.py': '', 'tests/test_x.py': '' });
    expect(detectLayout(pyproject(PYPROJECT, src))).toEqual({
      layout: 'src',
      sourceRoots: ['src'],
      sourcePaths: ['src/shop'],
    });
    const flat = writeProject({
      'main.py': '',
      'setup.py': '',
      'test_main.py': '',
      'api/__init__.py': '',
      'tests/conftest.py': '',
      'scripts/seed.py': '',
      '.venv/lib/x.py': '',
      'member/pyproject.toml': '',
      'member/m.py': '',
    });
    expect(detectLayout(pyproject(PYPROJECT, flat))).toEqual({
      layout: 'flat',
      sourceRoots: ['.'],
      sourcePaths: ['api', 'main.py'],
    });
  });

  it("reads src as a namespace package when a virtual project's code imports src.… (no __init__.py)", () => {
    const namespace = writeProject({
      'src/main.py': 'from fastapi import FastAPI\nfrom src.api.routes import router\n',
      'src/api/__init__.py': '',
      'src/api/routes.py': 'import src.core.config as config\n',
      'src/core/config.py': '',
    });
    expect(detectLayout(pyproject(PYPROJECT, namespace))).toEqual({
      layout: 'flat',
      sourceRoots: ['.'],
      sourcePaths: ['src'],
    });
    // Each import form that names the src package.
    for (const line of [
      'import src',
      'import src.main',
      'import src as root',
      'from src import main',
      '  from src.a.b import c',
    ]) {
      const dir = writeProject({ 'src/main.py': `${line}\n`, 'src/other.py': '' });
      expect(detectLayout(pyproject(PYPROJECT, dir)).sourceRoots, line).toEqual(['.']);
    }
    // Not an import of src: src stays the import root.
    for (const line of [
      'from srcs import x',
      'import source',
      '# from src.api import x',
      'x = "import src"',
      'from .src import y',
    ]) {
      const dir = writeProject({ 'src/main.py': `${line}\n`, 'src/other.py': '' });
      expect(detectLayout(pyproject(PYPROJECT, dir)).sourceRoots, line).toEqual(['src']);
    }
    // A packaged project installs what its build backend says: the imports do not change that.
    const build = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n';
    expect(detectLayout(pyproject(PYPROJECT + build, namespace)).sourceRoots).toEqual(['src']);
  });

  it('follows uv_build module-root', () => {
    const dir = writeProject({
      'pkg/__init__.py': '',
      'src/other/__init__.py': '',
      'lib/core/__init__.py': '',
    });
    const flat = `${PYPROJECT}[tool.uv.build-backend]\nmodule-root = ""\n`;
    // Folders that only hold other folders (src/, lib/) are not packages of a flat project.
    expect(detectLayout(pyproject(flat, dir)).sourcePaths).toEqual(['pkg']);
    const lib = `${PYPROJECT}[tool.uv.build-backend]\nmodule-root = "lib"\n`;
    expect(detectLayout(pyproject(lib, dir))).toEqual({
      layout: 'src',
      sourceRoots: ['lib'],
      sourcePaths: ['lib/core'],
    });
  });
});

describe('workspace', () => {
  it('matches member globs the way uv does', () => {
    expect(globToRegExp('services/*').test('services/api')).toBe(true);
    expect(globToRegExp('services/*').test('services/api/x')).toBe(false);
    expect(globToRegExp('libs/**').test('libs/a/b')).toBe(true);
    expect(globToRegExp('pkg-?').test('pkg-1')).toBe(true);
  });

  const root =
    '[project]\nname = "root"\nversion = "0"\nrequires-python = ">=3.12"\n[tool.uv.workspace]\nmembers = ["services/*"]\nexclude = ["services/old"]\n';
  const member = (name: string) => `[project]\nname = "${name}"\nversion = "1"\nrequires-python = ">=3.13"\n`;

  it('walks up to the workspace that lists the project; a project it does not list stands alone', async () => {
    const dir = writeProject({
      'pyproject.toml': root,
      'services/api/pyproject.toml': member('api'),
      'services/worker/pyproject.toml': member('worker'),
      'services/old/pyproject.toml': member('old'),
    });
    const api = await findWorkspace(await readPyproject(join(dir, 'services/api')));
    expect(api?.root).toBe(dir);
    expect(api?.member).toBe('services/api');
    expect(api?.projects.map((p) => p.name)).toEqual(['root', 'api', 'worker']);
    expect(await findWorkspace(await readPyproject(join(dir, 'services/old')))).toBeUndefined();
    expect((await findWorkspace(await readPyproject(dir)))?.member).toBe('.');
  });

  it('checks every member against the lock at the root', async () => {
    const lock = `requires-python = ">=3.13"\n[manifest]\nmembers = ["api", "root"]\n[[package]]\nname = "api"\nversion = "1"\nsource = { editable = "services/api" }\n[package.metadata]\nrequires-dist = [{ name = "fastapi" }]\n[[package]]\nname = "root"\nversion = "0"\nsource = { virtual = "." }\n`;
    const files = {
      'pyproject.toml': root,
      'uv.lock': lock,
      'services/api/pyproject.toml': `${member('api')}dependencies = ["fastapi"]\n`,
      'services/api/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    };
    const model = await analyzeProject(join(writeProject(files), 'services/api'));
    expect(model.workspace).toMatchObject({ member: 'services/api', package: 'api' });
    expect(model.lock.path).toMatch(/\/uv\.lock$/);
    const stale = writeProject({
      ...files,
      'services/worker/pyproject.toml': `${member('worker')}dependencies = ["httpx"]\n`,
    });
    const error = await analyzeProject(join(stale, 'services/api')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).message).toContain('uv.lock has no entry for worker');
    expect((error as ProjectError).message).toContain(
      'workspace members: pyproject.toml files name api, root, worker',
    );
    expect((error as ProjectError).fix).toBe('uv lock');
  });

  it('analyzes a project with no .python-version from requires-python', async () => {
    const model = await analyzeProject(
      writeProject({
        'pyproject.toml': PYPROJECT,
        'uv.lock': LOCK,
        'main.py': 'import fastapi\napp = fastapi.FastAPI()\n',
      }),
    );
    expect(model.python).toMatchObject({ version: '3.13', source: 'requires-python' });
    expect(model.app).toMatchObject({ module: 'main', attribute: 'app', file: 'main.py', line: 2 });
    expect(model.health).toEqual({ liveness: undefined, readiness: undefined });
  });
});

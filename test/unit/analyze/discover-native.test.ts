import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { installSelection, syncSelection } from '../../../src/analyze/groups.js';
import { detectLayout } from '../../../src/analyze/layout.js';
import { parseLock } from '../../../src/analyze/lock.js';
import { evaluateMarker, linuxEnvironment } from '../../../src/analyze/markers.js';
import { lockWheelsFit, nativeNeeds, runtimePackages } from '../../../src/analyze/native.js';
import { parsePyproject } from '../../../src/analyze/pyproject.js';
import { writeProject } from './helpers.js';

const linux = linuxEnvironment('3.13', 'x86_64');

describe('PEP 508 markers on the image platform', () => {
  it.each([
    ["sys_platform == 'win32'", false],
    ["sys_platform != 'win32'", true],
    ["platform_system == 'Windows' or sys_platform == 'darwin'", false],
    ["sys_platform == 'linux' and platform_machine == 'x86_64'", true],
    ["platform_machine == 'aarch64'", false],
    ["python_full_version < '3.11'", false],
    ["python_full_version >= '3.12'", true],
    ["python_version == '3.13'", true],
    ["python_version <= '3.12'", false],
    ["implementation_name == 'cpython' and os_name == 'posix'", true],
    ["'linux' in sys_platform", true],
    ['', true],
  ])('%s → %s', (marker, expected) => {
    expect(evaluateMarker(marker, linux)).toBe(expected);
  });

  it('leaves what the environment does not say unknown', () => {
    expect(evaluateMarker("extra == 'postgres'", linux)).toBeUndefined();
    expect(evaluateMarker("extra == 'postgres' and sys_platform == 'win32'", linux)).toBe(false);
  });
});

const wheels = (...names: string[]) =>
  `wheels = [${names.map((n) => `{ url = "https://files.example/${n}" }`).join(', ')}]`;
const LOCK = parseLock(
  parse(`
[[package]]
name = "svc"
version = "1"
source = { virtual = "." }
dependencies = [
  { name = "pywin32", marker = "sys_platform == 'win32'" },
  { name = "httptools" },
  { name = "asyncmy" },
  { name = "uvloop", marker = "sys_platform != 'win32'" },
]

[[package]]
name = "pywin32"
version = "311"
source = { registry = "https://pypi.org/simple" }
${wheels('pywin32-311-cp313-cp313-win_amd64.whl')}

[[package]]
name = "httptools"
version = "0.6.1"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/httptools-0.6.1.tar.gz" }
${wheels('httptools-0.6.1-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'httptools-0.6.1-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl')}

[[package]]
name = "asyncmy"
version = "0.2.9"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/asyncmy-0.2.9.tar.gz" }
${wheels('asyncmy-0.2.9-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')}

[[package]]
name = "uvloop"
version = "0.21.0"
source = { registry = "https://pypi.org/simple" }
${wheels('uvloop-0.21.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'uvloop-0.21.0-cp313-cp313-manylinux_2_17_aarch64.manylinux2014_aarch64.whl')}
`),
  '/x/uv.lock',
);
const project = LOCK.packages[0] as NonNullable<(typeof LOCK.packages)[0]>;
const none = { build: [], runtime: [] };

describe('native needs from wheel tags', () => {
  it('leaves out a dependency whose marker fails on Linux', () => {
    expect(runtimePackages(LOCK, project, '3.13').map((p) => p.name)).toEqual([
      'asyncmy',
      'httptools',
      'uvloop',
    ]);
    expect(runtimePackages(LOCK, project).map((p) => p.name)).toContain('pywin32');
  });

  it('needs a compiler for compiled code without a wheel for the image Python; names the missing architecture', () => {
    const on313 = nativeNeeds(LOCK, project, '3.13', none);
    expect(on313.build).toEqual(['gcc', 'libc6-dev']);
    expect(on313.reasons.join('\n')).not.toContain('pywin32');
    expect(on313.reasons).toContain(
      'httptools 0.6.1 has no wheel for Python 3.13 on Linux: built from its sdist with gcc, libc6-dev (add [tool.slipway] apt.build packages for the headers it needs)',
    );
    const on310 = nativeNeeds(LOCK, project, '3.10', none);
    expect(on310.reasons.find((r) => r.startsWith('asyncmy'))).toContain('on Linux aarch64:');
  });

  it('tells which Python versions the locked wheels support', () => {
    expect(lockWheelsFit(LOCK, project, '3.12')).toBe(false); // asyncmy has only cp310
    // pywin32 (Windows wheels only) is not installed on Linux, so it does not count.
    const older = {
      ...project,
      dependencies: project.dependencies.filter((d) => d.name === 'httptools' || d.name === 'pywin32'),
    };
    expect(lockWheelsFit(LOCK, older, '3.12')).toBe(true);
    expect(lockWheelsFit(LOCK, older, '3.13')).toBe(false); // httptools 0.6.1: no cp313
    expect(lockWheelsFit(LOCK, undefined, '3.12')).toBe(false); // every package: pywin32 too
    const fitting = parseLock(
      parse(
        `[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "x" }\n${wheels('a-1-cp312-cp312-manylinux_2_17_x86_64.whl', 'a-1-py3-none-any.whl')}\n`,
      ),
      '/x/uv.lock',
    );
    expect(lockWheelsFit(fitting, undefined, '3.12')).toBe(true);
    expect(lockWheelsFit(fitting, undefined, '3.13')).toBe(false);
  });
});

describe('what the wheel installs: hatch packages', () => {
  const layoutOf = (hatch: string, files: Record<string, string>) => {
    const dir = writeProject(files);
    const toml = `[project]\nname = "x"\nversion = "1"\n[tool.hatch.build.targets.wheel]\npackages = ${hatch}\n`;
    return detectLayout(parsePyproject(`${dir}/pyproject.toml`, dir, parse(toml)));
  };
  it('packages = ["src"] makes src itself the top-level package, imported from the project folder', () => {
    expect(layoutOf('["src"]', { 'src/__init__.py': '', 'src/main.py': '' })).toEqual({
      layout: 'flat',
      sourceRoots: ['.'],
      sourcePaths: ['src'],
    });
  });
  it('packages = ["src/shop"] installs shop from the src root; a missing folder is ignored', () => {
    expect(layoutOf('["src/shop", "gone"]', { 'src/shop/__init__.py': '' })).toEqual({
      layout: 'src',
      sourceRoots: ['src'],
      sourcePaths: ['src/shop'],
    });
  });
});

describe('groups and sources the image installs', () => {
  const selectionOf = (toml: string, files: Record<string, string> = {}) => {
    const dir = writeProject(files);
    return installSelection(parsePyproject(`${dir}/pyproject.toml`, dir, parse(toml)), [dir]);
  };
  const BASE =
    '[project]\nname = "x"\nversion = "1"\n[dependency-groups]\ndev = ["pytest"]\nlint = ["ruff"]\nserver = ["gunicorn"]\n';

  it('honours default-groups without the tool groups', () => {
    const chosen = selectionOf(`${BASE}[tool.uv]\ndefault-groups = ["dev", "lint", "server"]\n`);
    expect(chosen).toMatchObject({ defaultsChanged: true, groups: ['server'], extras: [] });
    expect(syncSelection(chosen)).toBe(' --no-dev --no-default-groups --group server');
    expect(syncSelection(selectionOf(`${BASE}[tool.uv]\ndefault-groups = "all"\n`))).toBe(
      ' --no-dev --no-default-groups --group server',
    );
  });

  it("changes nothing under uv's default, and adds what the project's own Dockerfile syncs", () => {
    expect(syncSelection(selectionOf(BASE))).toBe(' --no-dev');
    const own = selectionOf(`${BASE}[project.optional-dependencies]\npg = ["psycopg"]\n`, {
      Dockerfile: 'FROM python\nRUN uv sync --frozen --no-dev --group server --extra pg --group unknown\n',
    });
    expect(syncSelection(own)).toBe(' --no-dev --group server --extra pg');
    expect(own.reasons).toEqual([
      "group server: the project's Dockerfile installs it",
      "extra pg: the project's Dockerfile installs it",
    ]);
  });

  it('needs git in the builder for a git source, and nothing in the final stage', () => {
    const lock = parseLock(
      parse(`
[[package]]
name = "svc"
version = "1"
source = { virtual = "." }
dependencies = [{ name = "tool" }]

[[package]]
name = "tool"
version = "0.1.0"
source = { git = "https://git.example/org/tool?rev=main#0123abc" }
`),
      '/x/uv.lock',
    );
    const needs = nativeNeeds(lock, lock.packages[0] as NonNullable<(typeof lock.packages)[0]>, '3.13', none);
    expect(needs).toEqual({
      build: ['git'],
      runtime: [],
      reasons: ['tool comes from git (https://git.example/org/tool): git in the builder stage'],
    });
  });
});

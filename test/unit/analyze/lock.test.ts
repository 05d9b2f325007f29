import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { lockDifferences, parseLock, readLock } from '../../../src/analyze/lock.js';
import { parsePyproject } from '../../../src/analyze/pyproject.js';
import { ProjectError } from '../../../src/errors.js';
import { writeProject } from './helpers.js';

const project = (toml: string) => parsePyproject('/p/pyproject.toml', '/p', parse(toml));
const lock = (toml: string) => parseLock(parse(toml), '/p/uv.lock');

// What uv 0.13 wrote for this pyproject.toml: markers rewritten, clauses and extras reordered.
const PYPROJECT = `
[project]
name = "Demo_Proj"
version = "0.1.0"
requires-python = "~=3.11"
dependencies = [
  "FastAPI >= 0.100, <1",
  "uvicorn[standard]>=0.30",
  "tomli; python_version < '3.11'",
  "Pydantic_Settings",
  "h11; sys_platform == 'linux' and python_version >= '3.12'",
]
[project.optional-dependencies]
pg = ["psycopg2>=2.9 ; sys_platform == 'linux'"]
[dependency-groups]
Dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]
`;
const LOCK = `
requires-python = ">=3.11, <4"
[[package]]
name = "demo-proj"
version = "0.1.0"
source = { virtual = "." }
[package.metadata]
requires-dist = [
    { name = "fastapi", specifier = ">=0.100,<1" },
    { name = "h11", marker = "python_full_version >= '3.12' and sys_platform == 'linux'" },
    { name = "psycopg2", marker = "sys_platform == 'linux' and extra == 'pg'", specifier = ">=2.9" },
    { name = "pydantic-settings" },
    { name = "tomli", marker = "python_full_version < '3.11'" },
    { name = "uvicorn", extras = ["standard"], specifier = ">=0.30" },
]
provides-extras = ["pg"]
[package.metadata.requires-dev]
dev = [{ name = "pytest", specifier = ">=8" }, { name = "ruff" }]
lint = [{ name = "ruff" }]
`;

describe('lock freshness', () => {
  it('accepts a lock uv wrote for the same pyproject.toml', () => {
    expect(
      lockDifferences(lock(LOCK), project(PYPROJECT), { member: '.', requiresPython: '~=3.11' }),
    ).toEqual([]);
  });

  it('names a dependency added to pyproject.toml', () => {
    const changed = PYPROJECT.replace('"Pydantic_Settings",', '"Pydantic_Settings",\n  "httpx>=0.27",');
    expect(lockDifferences(lock(LOCK), project(changed), { member: '.' })).toEqual([
      'dependencies: pyproject.toml has httpx>=0.27, uv.lock does not',
    ]);
  });

  it('names a changed specifier, extra and marker', () => {
    const changed = PYPROJECT.replace('>= 0.100, <1', '>=0.110')
      .replace('uvicorn[standard]', 'uvicorn')
      .replace("python_version < '3.11'", "python_version < '3.12'");
    const problems = lockDifferences(lock(LOCK), project(changed), { member: '.' });
    expect(problems).toContain('dependencies: pyproject.toml has fastapi>=0.110, uv.lock does not');
    expect(problems).toContain('dependencies: uv.lock has uvicorn[standard]>=0.30, pyproject.toml does not');
    expect(problems).toContain(
      "dependencies: pyproject.toml has tomli; python_full_version < '3.12', uv.lock does not",
    );
  });

  it('compares optional dependencies with their extra marker', () => {
    const changed = PYPROJECT.replace('pg = [', 'postgres = [');
    expect(lockDifferences(lock(LOCK), project(changed), { member: '.' })).toContain(
      "dependencies: pyproject.toml has psycopg2>=2.9; extra == 'postgres' and sys_platform == 'linux', uv.lock does not",
    );
  });

  it('compares dependency groups, with include-group expanded', () => {
    const changed = PYPROJECT.replace('lint = ["ruff"]', 'lint = ["ruff>=0.6"]');
    expect(lockDifferences(lock(LOCK), project(changed), { member: '.' })).toEqual([
      'dependency group dev: pyproject.toml has ruff>=0.6, uv.lock does not',
      'dependency group dev: uv.lock has ruff, pyproject.toml does not',
      'dependency group lint: pyproject.toml has ruff>=0.6, uv.lock does not',
      'dependency group lint: uv.lock has ruff, pyproject.toml does not',
    ]);
  });

  it('compares requires-python by the versions it allows, not its text', () => {
    const locked = lock(LOCK);
    expect(
      lockDifferences(locked, project(PYPROJECT), { member: '.', requiresPython: '>=3.11,<4.0' }),
    ).toEqual([]);
    expect(lockDifferences(locked, project(PYPROJECT), { member: '.', requiresPython: '>=3.12' })).toEqual([
      'requires-python: pyproject.toml allows ">=3.12", uv.lock ">=3.11, <4"',
    ]);
  });

  it('ignores the version range of a workspace source, which uv does not record', () => {
    const member = project(
      '[project]\nname = "api"\nversion = "1"\ndependencies = ["lib>=0.1", "six>=1.0"]\n[tool.uv.sources]\nlib = { workspace = true }\n',
    );
    const locked = lock(`
[[package]]
name = "api"
source = { editable = "packages/api" }
[package.metadata]
requires-dist = [{ name = "lib", editable = "packages/lib" }, { name = "six", specifier = ">=1.0" }]
`);
    expect(lockDifferences(locked, member, { member: 'packages/api' })).toEqual([]);
    expect(lockDifferences(locked, member, { member: 'services/api' })).toEqual([
      'uv.lock has no entry for api',
    ]);
  });

  it('rejects a dependency that is not a PEP 508 requirement', () => {
    const broken = PYPROJECT.replace('"Pydantic_Settings",', '"-oops",');
    expect(() => lockDifferences(lock(LOCK), project(broken), { member: '.' })).toThrow(
      '/p/pyproject.toml: "-oops" is not a valid requirement',
    );
  });

  it('reports a missing lock and an unparsable one with `uv lock` as the fix', async () => {
    const dir = writeProject({ 'uv.lock': 'version = 1\n[[package]\n' });
    const missing = await readLock(`${dir}/nope.lock`, `${dir}/pyproject.toml`).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ProjectError);
    expect((missing as ProjectError).message).toContain('no uv.lock');
    expect((missing as ProjectError).fix).toBe('uv lock');
    const broken = await readLock(`${dir}/uv.lock`, `${dir}/pyproject.toml`).catch((e: unknown) => e);
    expect((broken as ProjectError).message).toMatch(/uv\.lock: invalid TOML at line 2, column \d+/);
    expect((broken as ProjectError).fix).toContain('uv lock');
  });
});

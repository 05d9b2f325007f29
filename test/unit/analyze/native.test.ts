import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseLock } from '../../../src/analyze/lock.js';
import { nativeNeeds, runtimePackages, wheelFits } from '../../../src/analyze/native.js';

const wheels = (...names: string[]) =>
  `wheels = [${names.map((n) => `{ url = "https://files.example/${n}" }`).join(', ')}]`;

const LOCK = `
[[package]]
name = "svc"
version = "1"
source = { virtual = "." }
dependencies = [{ name = "psycopg2" }, { name = "pydantic", extra = ["email"] }, { name = "fastapi" }]
[package.dev-dependencies]
dev = [{ name = "mysqlclient" }]

[[package]]
name = "psycopg2"
version = "2.9.10"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/psycopg2-2.9.10.tar.gz" }
${wheels('psycopg2-2.9.10-cp313-cp313-win_amd64.whl')}

[[package]]
name = "pydantic"
version = "2.9.0"
source = { registry = "https://pypi.org/simple" }
${wheels('pydantic-2.9.0-py3-none-any.whl')}
[package.optional-dependencies]
email = [{ name = "legacy-sdist" }]

[[package]]
name = "legacy-sdist"
version = "0.1"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/legacy-sdist-0.1.tar.gz" }

[[package]]
name = "fastapi"
version = "0.115.0"
source = { registry = "https://pypi.org/simple" }
${wheels('fastapi-0.115.0-py3-none-any.whl')}

[[package]]
name = "mysqlclient"
version = "2.2.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/mysqlclient-2.2.0.tar.gz" }
`;

describe('native build needs', () => {
  const lock = parseLock(parse(LOCK), '/p/uv.lock');
  const project = lock.packages.find((p) => p.name === 'svc');
  if (!project) throw new Error('fixture lock without svc');

  it('decides by the wheels a lock entry has for CPython X.Y on glibc Linux', () => {
    expect(wheelFits('x-1-py3-none-any.whl', '3.13', 'x86_64')).toBe(true);
    expect(wheelFits('x-1-py2.py3-none-any.whl', '3.13', 'aarch64')).toBe(true);
    expect(
      wheelFits('x-1-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', '3.13', 'x86_64'),
    ).toBe(true);
    expect(wheelFits('x-1-cp313-cp313-manylinux_2_17_x86_64.whl', '3.13', 'aarch64')).toBe(false);
    expect(wheelFits('x-1-cp312-cp312-manylinux_2_17_x86_64.whl', '3.13', 'x86_64')).toBe(false);
    expect(wheelFits('x-1-cp39-abi3-manylinux_2_17_x86_64.whl', '3.13', 'x86_64')).toBe(true);
    expect(wheelFits('x-1-cp313-cp313-musllinux_1_2_x86_64.whl', '3.13', 'x86_64')).toBe(false);
    expect(wheelFits('x-1-cp313-cp313-win_amd64.whl', '3.13', 'x86_64')).toBe(false);
    expect(wheelFits('x-1-1-cp313-cp313-linux_x86_64.whl', '3.13', 'x86_64')).toBe(true);
    expect(wheelFits('broken.whl', '3.13', 'x86_64')).toBe(false);
  });

  it('walks runtime dependencies with the extras asked of them, not dev groups', () => {
    expect(runtimePackages(lock, project).map((p) => p.name)).toEqual([
      'fastapi',
      'legacy-sdist',
      'psycopg2',
      'pydantic',
    ]);
  });

  it('adds compilers, headers and libraries for known packages without wheels, then [tool.slipway] apt', () => {
    expect(nativeNeeds(lock, project, '3.13', { build: ['git', 'gcc'], runtime: ['curl'] })).toEqual({
      build: ['gcc', 'libc6-dev', 'libpq-dev', 'git'],
      runtime: ['libpq5', 'curl'],
      reasons: [
        'legacy-sdist 0.1 has no wheel for Python 3.13 on Linux: built from its sdist (add [tool.slipway] apt.build packages if it needs a compiler)',
        'psycopg2 2.9.10 has no wheel for Python 3.13 on Linux: gcc, libc6-dev, libpq-dev, libpq5',
        'git: [tool.slipway] apt.build',
        'curl: [tool.slipway] apt.runtime',
      ],
    });
  });

  it('needs nothing when every dependency has wheels', () => {
    const wheelsOnly = parseLock(
      parse(
        LOCK.replace("win_amd64.whl')", '')
          .replace(
            'psycopg2-2.9.10-cp313-cp313-win_amd64.whl',
            'psycopg2-2.9.10-cp313-cp313-manylinux_2_17_x86_64.manylinux_2_17_aarch64.whl',
          )
          .replace('{ name = "pydantic", extra = ["email"] }, ', ''),
      ),
      '/p/uv.lock',
    );
    const svc = wheelsOnly.packages.find((p) => p.name === 'svc');
    if (!svc) throw new Error('fixture lock without svc');
    expect(nativeNeeds(wheelsOnly, svc, '3.13', { build: [], runtime: [] })).toEqual({
      build: [],
      runtime: [],
      reasons: [],
    });
  });
});

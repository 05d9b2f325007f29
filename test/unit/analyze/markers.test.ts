import { describe, expect, it } from 'vitest';
import { normalizeMarker, withExtra } from '../../../src/analyze/markers.js';
import { sameVersionSet } from '../../../src/analyze/pep440.js';
import { normalizeName, normalizeSpecifier, parseRequirement } from '../../../src/analyze/requirements.js';

describe('markers as uv writes them into uv.lock', () => {
  it.each([
    ["python_version <= '3.11'", "python_full_version < '3.12'"],
    ["python_version > '3.11'", "python_full_version >= '3.12'"],
    ["python_version == '3.12'", "python_full_version == '3.12.*'"],
    ["python_version != '3.12'", "python_full_version != '3.12.*'"],
    [
      'python_version >= "3.12" and sys_platform==\'linux\'',
      "python_full_version >= '3.12' and sys_platform == 'linux'",
    ],
    [
      "sys_platform == 'linux' and python_version >= '3.12'",
      "python_full_version >= '3.12' and sys_platform == 'linux'",
    ],
    [
      "platform_machine == 'x86_64' or sys_platform == 'darwin'",
      "platform_machine == 'x86_64' or sys_platform == 'darwin'",
    ],
  ])('%s', (written, locked) => {
    expect(normalizeMarker(written)).toBe(normalizeMarker(locked));
    expect(normalizeMarker(written)).toBe(locked);
  });

  it('adds the extra of an optional dependency the way uv does', () => {
    expect(withExtra("python_version < '3.12' or sys_platform == 'win32'", 'X_Y')).toBe(
      normalizeMarker("(python_full_version < '3.12' or sys_platform == 'win32') and extra == 'x-y'"),
    );
    expect(withExtra('', 'pg')).toBe("extra == 'pg'");
  });

  it('keeps a marker it cannot parse, with spaces and quotes evened out', () => {
    expect(normalizeMarker('os_name  ==  "nt" and (')).toBe("os_name == 'nt' and (");
  });
});

describe('requirements', () => {
  it('normalizes names (PEP 503), extras and specifiers', () => {
    expect(normalizeName('Pydantic__Settings.X')).toBe('pydantic-settings-x');
    expect(normalizeSpecifier(' >= 1.0 , <2 ')).toBe('<2,>=1.0');
    expect(normalizeSpecifier('(>=1.0)')).toBe('>=1.0');
    expect(parseRequirement('Uvicorn[Standard, b] >=0.30 ; python_version < "3.12"')).toEqual({
      name: 'uvicorn',
      extras: ['b', 'standard'],
      specifier: '>=0.30',
      marker: "python_full_version < '3.12'",
      url: undefined,
    });
    expect(parseRequirement('pkg @ https://example.org/pkg.tar.gz#x;y ; os_name == "nt"')).toMatchObject({
      url: 'https://example.org/pkg.tar.gz#x;y',
      marker: "os_name == 'nt'",
    });
    expect(parseRequirement('-not-a-name')).toBeUndefined();
  });
});

describe('requires-python sets', () => {
  it('compare by the versions they allow', () => {
    expect(sameVersionSet('~=3.11', '>=3.11, <4')).toBe(true);
    expect(sameVersionSet('==3.12.*', '>=3.12,<3.13')).toBe(true);
    expect(sameVersionSet('>=3.10,!=3.11.*', '>=3.10, !=3.11.*')).toBe(true);
    expect(sameVersionSet('>=3.12', '>=3.11')).toBe(false);
    expect(sameVersionSet('>=3.12.1', '>=3.12')).toBe(false);
    expect(sameVersionSet('~=3.11.2', '>=3.11.2, <3.12')).toBe(true);
    expect(sameVersionSet('~=3.11.2', '>=3.11.2, <4')).toBe(false);
    expect(sameVersionSet('>=3.11, !=3.12.1', '>=3.11')).toBe(false);
    expect(sameVersionSet('<3.13,>=3.10', '>=3.10, <3.13')).toBe(true);
    expect(sameVersionSet('>=3.10, <3.13', '>=3.10, <=3.12')).toBe(false);
    expect(sameVersionSet('>=3.9', '>=3.9, <5')).toBe(false);
    // Not understood (a local version): compared as text.
    expect(sameVersionSet('>=3.12+local', '>= 3.12+local')).toBe(true);
  });
});

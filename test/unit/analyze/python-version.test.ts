import { describe, expect, it } from 'vitest';
import { detectPython, parsePythonVersionFile } from '../../../src/analyze/python-version.js';
import type { ProjectError } from '../../../src/errors.js';
import { writeProject } from './helpers.js';

const inputs = (over: Partial<Parameters<typeof detectPython>[0]> = {}) => ({
  projectDir: writeProject({}),
  workspaceRoot: undefined,
  requiresPython: undefined,
  configured: undefined,
  pyprojectFile: '/p/pyproject.toml',
  ...over,
});

function failure(over: Partial<Parameters<typeof detectPython>[0]>): ProjectError {
  try {
    detectPython(inputs(over));
  } catch (error) {
    return error as ProjectError;
  }
  throw new Error('detectPython accepted it');
}

describe('python version', () => {
  it('reads X.Y from .python-version lines', () => {
    expect(parsePythonVersionFile('3.13\n')).toBe('3.13');
    expect(parsePythonVersionFile('# pinned\n3.12.4\n')).toBe('3.12');
    expect(parsePythonVersionFile('cpython@3.11')).toBe('3.11');
    expect(parsePythonVersionFile('pypy3.10')).toBeUndefined();
  });

  it('takes [tool.slipway], then .python-version (project, then workspace root), then requires-python', () => {
    const pinned = writeProject({ '.python-version': '3.12\n' });
    expect(
      detectPython(inputs({ configured: '3.11', projectDir: pinned, requiresPython: '>=3.10' })),
    ).toEqual({
      version: '3.11',
      source: 'slipway-config',
      requiresPython: '>=3.10',
      image: 'python:3.11-slim',
    });
    expect(detectPython(inputs({ projectDir: pinned }))).toMatchObject({
      version: '3.12',
      source: '.python-version',
    });
    expect(detectPython(inputs({ workspaceRoot: pinned }))).toMatchObject({
      version: '3.12',
      source: '.python-version',
    });
    // 3.13 whenever requires-python allows it, not the lowest version it allows.
    expect(detectPython(inputs({ requiresPython: '>=3.11.2,<4' }))).toMatchObject({
      version: '3.13',
      source: 'requires-python',
    });
    expect(detectPython(inputs({ requiresPython: '>=3.8' }))).toMatchObject({ version: '3.13' });
    expect(detectPython(inputs())).toMatchObject({
      version: '3.13',
      source: 'default',
      image: 'python:3.13-slim',
    });
  });

  it('without 3.13, takes the newest allowed version that the locked wheels support', () => {
    expect(detectPython(inputs({ requiresPython: '>=3.10,<3.13' }))).toMatchObject({ version: '3.12' });
    expect(detectPython(inputs({ requiresPython: '>=3.14' }))).toMatchObject({ version: '3.14' });
    expect(detectPython(inputs({ requiresPython: '~=3.10.0' }))).toMatchObject({ version: '3.10' });
    // 3.13 itself gives way when a locked native package has no wheel for it.
    const no313 = (minor: string) => minor !== '3.13';
    expect(detectPython(inputs({ requiresPython: '>=3.11', wheelsFit: no313 }))).toMatchObject({
      version: '3.14',
    });
    expect(
      detectPython(inputs({ requiresPython: '>=3.11', wheelsFit: (m) => m === '3.12' || m === '3.11' })),
    ).toMatchObject({ version: '3.12' });
    const no312 = (minor: string) => minor !== '3.12';
    expect(detectPython(inputs({ requiresPython: '>=3.10,<3.13', wheelsFit: no312 }))).toMatchObject({
      version: '3.11',
    });
    // Nothing fits: the newest allowed all the same (the build then compiles from sdists).
    expect(detectPython(inputs({ requiresPython: '>=3.11,<3.13', wheelsFit: () => false }))).toMatchObject({
      version: '3.12',
    });
  });

  it('rejects versions outside 3.10–3.14', () => {
    expect(failure({ configured: '3.9' }).message).toContain('unsupported Python version 3.9');
    expect(failure({ projectDir: writeProject({ '.python-version': '3.15' }) }).message).toContain(
      'unsupported Python version 3.15',
    );
    const none = failure({ requiresPython: '>=3.8,<3.10' });
    expect(none.message).toContain('allows Python 3.8 to 3.9; slipway supports 3.10 to 3.14');
    expect(none.fix).toContain('requires-python');
    expect(failure({ requiresPython: '<3' }).message).toContain('allows no Python 3 version');
  });

  it('rejects a pin that requires-python excludes, an unreadable pin and a broken requires-python', () => {
    const pinned = writeProject({ '.python-version': '3.12\n' });
    expect(failure({ projectDir: pinned, requiresPython: '>=3.13' }).message).toContain(
      'does not satisfy requires-python = ">=3.13"',
    );
    expect(failure({ projectDir: writeProject({ '.python-version': 'system\n' }) }).message).toContain(
      'expected a Python version such as 3.13',
    );
    expect(failure({ requiresPython: 'python3' }).message).toContain('is not a version specifier');
  });
});

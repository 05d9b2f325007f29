import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectError } from '../errors.js';
import { DEFAULT_PYTHON_VERSION, pythonImage } from '../pins.js';
import type { PythonInfo } from './model.js';
import { parseSpecifiers } from './pep440.js';

/** Minor versions with a python:X.Y-slim image that slipway generates for. */
export const SUPPORTED_PYTHON = ['3.10', '3.11', '3.12', '3.13', '3.14'] as const;

export interface PythonInputs {
  readonly projectDir: string;
  /** Also searched for .python-version, after the project (uv does the same). */
  readonly workspaceRoot: string | undefined;
  readonly requiresPython: string | undefined;
  readonly configured: string | undefined;
  readonly pyprojectFile: string;
  /** Whether the lock's packages with native code have wheels for a minor version (X.Y). */
  readonly wheelsFit?: (minor: string) => boolean;
}

/** The version chosen when requires-python allows it and nothing pins another. */
export const PREFERRED_PYTHON = '3.13';

/** Reads `X.Y` from a .python-version line such as `3.13`, `3.13.1` or `cpython@3.13`. */
export function parsePythonVersionFile(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return /^(?:cpython[@-])?(\d+\.\d+)(?:\.\d+)?$/.exec(line?.trim() ?? '')?.[1];
}

/**
 * Python version for both image stages: `[tool.slipway] python-version`, else .python-version,
 * else 3.13 when requires-python allows it and the lock's native wheels support it, else the
 * newest X.Y it allows that they support, else the default.
 */
export function detectPython(inputs: PythonInputs): PythonInfo {
  const { requiresPython, pyprojectFile } = inputs;
  const allows = requiresPython === undefined ? undefined : parseSpecifiers(requiresPython);
  if (requiresPython !== undefined && !allows) {
    throw new ProjectError(
      `${pyprojectFile}: requires-python = "${requiresPython}" is not a version specifier`,
      {
        fix: 'write requires-python as specifiers, e.g. ">=3.12"',
      },
    );
  }
  // A minor version is allowed when some patch release of it satisfies requires-python.
  const allowed = (minor: string) =>
    !allows || Array.from({ length: 41 }, (_, patch) => `${minor}.${patch}`).some((v) => allows(v));
  const finish = (version: string, source: PythonInfo['source'], from: string): PythonInfo => {
    if (!(SUPPORTED_PYTHON as readonly string[]).includes(version)) {
      throw new ProjectError(
        `unsupported Python version ${version} (from ${from}): slipway supports ${SUPPORTED_PYTHON[0]} to ${SUPPORTED_PYTHON.at(-1)}`,
        { fix: `set ${from} to one of ${SUPPORTED_PYTHON.join(', ')} (and allow it in requires-python)` },
      );
    }
    if (!allowed(version)) {
      throw new ProjectError(
        `Python ${version} (from ${from}) does not satisfy requires-python = "${requiresPython}" in ${pyprojectFile}`,
        { fix: `make ${from} and requires-python agree` },
      );
    }
    return { version, source, requiresPython, image: pythonImage(version) };
  };

  if (inputs.configured !== undefined) {
    return finish(inputs.configured, 'slipway-config', `[tool.slipway] python-version in ${pyprojectFile}`);
  }
  for (const dir of [inputs.projectDir, inputs.workspaceRoot]) {
    if (dir === undefined) continue;
    const file = join(dir, '.python-version');
    if (!existsSync(file)) continue;
    const version = parsePythonVersionFile(readFileSync(file, 'utf8'));
    if (version === undefined) {
      throw new ProjectError(`${file}: expected a Python version such as 3.13`, {
        fix: `write the version into ${file}, e.g. \`uv python pin 3.13\``,
      });
    }
    return finish(version, '.python-version', file);
  }
  if (requiresPython === undefined) return finish(DEFAULT_PYTHON_VERSION, 'default', 'the default');
  // 3.13 when allowed (the default the project was built around) and the locked packages with
  // native code have wheels for it; else the newest allowed version they have wheels for (an old
  // C extension such as httptools 0.6.1 does not even compile on 3.13); else 3.13 or the newest.
  const allowedMinors = SUPPORTED_PYTHON.filter(allowed);
  const wheelsFit = inputs.wheelsFit ?? (() => true);
  const preferred = allowedMinors.includes(PREFERRED_PYTHON) ? PREFERRED_PYTHON : allowedMinors.at(-1);
  const chosen =
    preferred !== undefined && wheelsFit(preferred)
      ? preferred
      : ([...allowedMinors].reverse().find(wheelsFit) ?? preferred);
  if (chosen === undefined) {
    // Name what requires-python does allow, so the message shows how far off it is.
    const minors = Array.from({ length: 41 }, (_, minor) => `3.${minor}`).filter(allowed);
    const allows =
      minors.length === 0
        ? 'no Python 3 version'
        : `Python ${minors[0]}${minors.length > 1 ? ` to ${minors.at(-1)}` : ''}`;
    throw new ProjectError(
      `unsupported Python version: requires-python = "${requiresPython}" in ${pyprojectFile} allows ${allows}; slipway supports ${SUPPORTED_PYTHON[0]} to ${SUPPORTED_PYTHON.at(-1)}`,
      {
        fix: `allow a Python version from ${SUPPORTED_PYTHON[0]} to ${SUPPORTED_PYTHON.at(-1)} in requires-python`,
      },
    );
  }
  return finish(chosen, 'requires-python', `requires-python in ${pyprojectFile}`);
}

/**
 * Why the image's Python is older than 3.13 when requires-python chose it: 3.13 is what the
 * project's stack is built and tested around, so a step down is worth a word. `lacking` names the
 * locked packages without a 3.13 wheel. Undefined when 3.13 (or newer) was chosen or pinned.
 */
export function stepDownWarning(
  python: PythonInfo,
  pyprojectFile: string,
  lacking: readonly string[],
): string | undefined {
  if (python.source !== 'requires-python') return undefined;
  const [, minor = 0] = python.version.split('.').map(Number);
  const [, preferred = 0] = PREFERRED_PYTHON.split('.').map(Number);
  if (minor >= preferred) return undefined;
  const allows = python.requiresPython === undefined ? undefined : parseSpecifiers(python.requiresPython);
  const head = `Python ${python.version}, not ${PREFERRED_PYTHON}`;
  if (allows && !Array.from({ length: 41 }, (_, p) => `${PREFERRED_PYTHON}.${p}`).some((v) => allows(v))) {
    return `${head}: requires-python = "${python.requiresPython}" in ${pyprojectFile} excludes ${PREFERRED_PYTHON}`;
  }
  const names = lacking.length > 0 ? lacking.join(', ') : 'a locked package';
  const verb = lacking.length > 1 ? 'have' : 'has';
  return `${head}: ${names} ${verb} no CPython ${PREFERRED_PYTHON} wheel in uv.lock (it would build from its sdist); a release with a ${PREFERRED_PYTHON} wheel lets the image use ${PREFERRED_PYTHON}`;
}

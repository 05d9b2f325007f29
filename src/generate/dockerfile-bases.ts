import type { ProjectModel } from '../analyze/model.js';
import type { SlipwayConfig } from '../config/schema.js';
import { ProjectError } from '../errors.js';
import { pythonImage } from '../pins.js';
import { aptPackages, continued } from './common.js';
import { arg } from './dockerfile-run.js';

/**
 * `[tool.slipway] base`: which image the final stage starts FROM, and the builder that matches it.
 * A venv is a folder of links to one interpreter path (`bin/python` and pyvenv.cfg's `home`), so
 * the builder must make it with the same Python version at the path the final image has it:
 *   slim        python:X.Y-slim in both stages (the default).
 *   distroless  gcr.io/distroless/python3-debian13:nonroot, Debian trixie's python3.13 at
 *               /usr/bin/python3.13. The builder is debian:trixie-slim with the same Debian
 *               package, and uv makes the venv for /usr/bin/python3.13. python:3.13-slim cannot be
 *               the builder: its Python is a source build under /usr/local, which distroless lacks.
 *   hardened    dhi.io/python:X.Y, whose -dev variant is the same image plus a shell, apt and
 *               headers: the interpreter sits at the same path in both, so the builder is -dev.
 * Neither distroless nor hardened has a shell: their final stage has no RUN.
 */
export type BaseName = SlipwayConfig['base'];

/** The one Python of gcr.io/distroless/python3-debian13 (Debian 13 "trixie" ships 3.13). */
export const DISTROLESS_PYTHON = '3.13';
export const DISTROLESS_IMAGE = 'gcr.io/distroless/python3-debian13:nonroot';
export const DISTROLESS_BUILDER_IMAGE = 'debian:trixie-slim';
export const DISTROLESS_INTERPRETER = `/usr/bin/python${DISTROLESS_PYTHON}`;
export const HARDENED_REPOSITORY = 'dhi.io/python';

/** The images a base needs for Python `version`, as `docker pull` names them. */
export function baseImages(base: BaseName, version: string): { builder: string; final: string } {
  switch (base) {
    case 'distroless':
      return { builder: DISTROLESS_BUILDER_IMAGE, final: DISTROLESS_IMAGE };
    case 'hardened':
      return { builder: `${HARDENED_REPOSITORY}:${version}-dev`, final: `${HARDENED_REPOSITORY}:${version}` };
    default:
      return { builder: pythonImage(version), final: pythonImage(version) };
  }
}

/** True for the bases whose final image has no shell (no RUN, exec forms only). */
export function shellless(base: BaseName): boolean {
  return base !== 'slim';
}

/**
 * Stops (exit 2, nothing written) when the base cannot carry this project: distroless has Python
 * 3.13 only, and an image without a package manager cannot take apt.runtime packages.
 */
export function checkBase(model: ProjectModel): void {
  const base = model.config.base;
  if (base === 'slim') return;
  const version = model.python.version;
  if (base === 'distroless' && version !== DISTROLESS_PYTHON) {
    throw new ProjectError(
      `[tool.slipway] base = "distroless" needs Python ${DISTROLESS_PYTHON} ` +
        `(${DISTROLESS_IMAGE} carries only that one), but this project uses Python ${version} ` +
        `(from ${model.python.source})`,
      {
        fix:
          `allow Python ${DISTROLESS_PYTHON} (requires-python, .python-version or [tool.slipway] python-version), ` +
          'or set [tool.slipway] base = "hardened" (dhi.io/python has every version) or "slim"',
      },
    );
  }
  const runtime = aptPackages(model, 'runtime');
  if (runtime.length > 0) {
    throw new ProjectError(
      `[tool.slipway] base = "${base}" has no package manager, so the Debian packages ` +
        `${runtime.join(', ')} the app needs at run time cannot be installed in it`,
      {
        fix: `set [tool.slipway] base = "slim" (the default), or use dependencies whose wheels bundle their libraries (then drop apt.runtime)`,
      },
    );
  }
}

/** apt-get with its caches on cache mounts: nothing of apt's state lands in a layer. */
export function aptInstall(packages: readonly string[], why: string): string[] {
  if (packages.length === 0) return [];
  return [
    `# ${why}`,
    '# hadolint ignore=DL3008 # slipway-ignore SLW-D015: apt versions follow the base image Debian release',
    ...continued('RUN --mount=type=cache,target=/var/cache/apt,sharing=locked', [
      '--mount=type=cache,target=/var/lib/apt,sharing=locked',
      'apt-get update',
      `&& DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')}`,
    ]),
    '',
  ];
}

/** The comment over `ARG PYTHON_VERSION`: which images the version picks. */
export function pythonVersionComment(base: BaseName): string {
  switch (base) {
    case 'distroless':
      return `# Python minor version: ${DISTROLESS_PYTHON}, the one Python of gcr.io/distroless/python3-debian13.`;
    case 'hardened':
      return `# Python minor version of both stages (${HARDENED_REPOSITORY}:X.Y, X.Y-dev), from the project.`;
    default:
      return '# Python minor version of both stages (python:X.Y-slim), from .python-version / requires-python.';
  }
}

/** The builder's FROM (with why it matches the final stage), before uv is copied in. */
export function builderFrom(base: BaseName): string[] {
  switch (base) {
    case 'distroless':
      return [
        '# Debian trixie, the release the distroless image is made of: its python3.13 package is the',
        `# final stage's interpreter, at the same path (${DISTROLESS_INTERPRETER}).`,
        `FROM ${DISTROLESS_BUILDER_IMAGE} AS builder`,
      ];
    case 'hardened':
      return [
        "# The final stage's image in its -dev variant: the same Python at the same path, plus shell, apt.",
        `FROM ${HARDENED_REPOSITORY}:${arg('PYTHON_VERSION')}-dev AS builder`,
      ];
    default:
      return [`FROM python:${arg('PYTHON_VERSION')}-slim AS builder`];
  }
}

/** What the builder installs with apt (and sets for uv) before the dependencies. */
export function builderSetup(model: ProjectModel): string[] {
  const build = aptPackages(model, 'build');
  const compilers = 'Compilers and headers for dependencies that have no wheel.';
  if (model.config.base !== 'distroless') return aptInstall(build, compilers);
  // A literal version: a global ARG only reaches FROM lines, not a stage's ENV or RUN.
  const python = `python${DISTROLESS_PYTHON}`;
  return [
    `# uv makes the venv for ${DISTROLESS_INTERPRETER} (bin/python links there), a path the final stage has.`,
    `ENV UV_PYTHON=/usr/bin/${python}`,
    ...aptInstall(
      build.length > 0 ? [python, `lib${python}-dev`, ...build] : [python],
      build.length > 0
        ? `Debian's Python (the final stage's interpreter), with its headers; ${compilers.toLowerCase()}`
        : "Debian's Python: the same package as the final stage's interpreter.",
    ),
    ...stdlibBytecode(),
  ];
}

/** Where the final stage's standard library, compiled in the builder, is put in the final stage. */
export const STDLIB_ZIP = `/usr/lib/python${DISTROLESS_PYTHON.replace('.', '')}.zip`;

/**
 * The distroless image ships its standard library as sources only (no .pyc, and no shell to make
 * them), so every start compiles some 190 modules. The builder compiles that image's own sources
 * (copied from it, so the byte code matches them exactly) into the zip that Python puts first on
 * sys.path: about 5 MB for a start as fast as slim's. Tracebacks still show the source lines (the
 * code objects name the .py files, which stay in place).
 */
function stdlibBytecode(): string[] {
  const lib = `/usr/lib/python${DISTROLESS_PYTHON}`;
  return [
    "# The final image's standard library, compiled here (it ships sources only): see the final stage.",
    `COPY --from=${DISTROLESS_IMAGE} ${lib} /stdlib/src`,
    ...continued('RUN rm -rf /stdlib/src/lib-dynload /stdlib/src/site-packages /stdlib/src/dist-packages', [
      `&& python${DISTROLESS_PYTHON} -m compileall -q -b -j0 -d ${lib} /stdlib/src`,
      "&& find /stdlib/src \\( -name '*.py' -o -name __pycache__ \\) -prune -exec rm -rf {} +",
      `&& python${DISTROLESS_PYTHON} -c "import shutil; shutil.make_archive('/stdlib/stdlib', 'zip', '/stdlib/src')"`,
    ]),
    '',
  ];
}

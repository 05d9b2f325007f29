import { syncSelection } from '../analyze/groups.js';
import type { ProjectModel } from '../analyze/model.js';
import { finalStageSources } from '../analyze/packaging.js';
import { UV_VERSION } from '../pins.js';
import {
  aptPackages,
  type BuildLayout,
  buildCommand,
  buildLayout,
  continued,
  envBlock,
  execForm,
  imageRef,
  inApp,
  livenessPath,
  secretMounts,
} from './common.js';

/**
 * The production Dockerfile: a builder stage that installs the locked dependencies with uv and a
 * final stage that holds only the virtual environment (plus the sources of a virtual project) and
 * runs uvicorn as a numeric, unprivileged user. Every parameter is commented so the file can be
 * read, and reused, without slipway.
 */
export function dockerfile(model: ProjectModel): string {
  const layout = buildLayout(model);
  return [...header(model, layout), ...builderStage(model), ...finalStage(model, layout)].join('\n');
}

/** A reference to a build ARG, `${NAME}`, expanded by Docker (not by this template). */
function arg(name: string): string {
  return `\${${name}}`;
}

function header(model: ProjectModel, layout: BuildLayout): string[] {
  const build = model.workspace
    ? [
        `# Build context: the uv workspace root (its uv.lock and the other members live there), so paths`,
        `# below are relative to it. From the workspace root:`,
        ...buildCommand(model, `-f ${layout.prefix}Dockerfile`),
        `# ${layout.prefix}Dockerfile.dockerignore (next to this file) keeps the context small.`,
      ]
    : model.buildSecrets?.length
      ? ['# Build from this folder:', ...buildCommand(model)]
      : [`# Build from this folder: docker buildx build -t ${imageRef(model)} .`];
  return [
    `# Production image of ${model.name}: uv installs the locked dependencies in a builder stage; the`,
    `# final stage holds only the virtual environment and runs uvicorn as an unprivileged user.`,
    ...build,
    `# To reuse it for another FastAPI app, change the ARGs, the source COPY lines and the CMD.`,
    '',
    '# Python minor version of both stages (python:X.Y-slim), from .python-version / requires-python.',
    `ARG PYTHON_VERSION=${model.python.version}`,
    '# uv release that installs the locked dependencies; pinned so that builds are repeatable.',
    `ARG UV_VERSION=${UV_VERSION}`,
    '',
    '# uv comes from its own image: two static binaries, no pip or installer script in the build.',
    `FROM ghcr.io/astral-sh/uv:${arg('UV_VERSION')} AS uv`,
    '',
  ];
}

/** apt-get with its caches on cache mounts: nothing of apt's state lands in a layer. */
function aptInstall(packages: readonly string[], why: string): string[] {
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
const UV_CACHE = '--mount=type=cache,target=/root/.cache/uv';

/** A uv sync command with the private-index secrets mounted and set for it alone. */
function withSecrets(model: ProjectModel, command: string): string[] {
  const { mounts, env } = secretMounts(model);
  return [...mounts, ...env, command];
}

function builderStage(model: ProjectModel): string[] {
  const pkg = model.workspace ? ` --package ${model.workspace.package}` : '';
  const lines = [
    `FROM python:${arg('PYTHON_VERSION')}-slim AS builder`,
    '# uvx stays in this stage: the final stage copies nothing from here but the environment.',
    'COPY --from=uv /uv /uvx /bin/',
    '# UV_COMPILE_BYTECODE: compile .pyc at build time (faster start; the root filesystem is read-only',
    '#   at run time). UV_LINK_MODE=copy: the uv cache is a separate mount, hard links cannot cross it.',
    "# UV_PYTHON_DOWNLOADS=0: use the image's Python, never download another one.",
    'ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=0',
    'WORKDIR /app',
    '',
    ...aptInstall(aptPackages(model, 'build'), 'Compilers and headers for dependencies that have no wheel.'),
  ];
  if (model.workspace) {
    lines.push(
      '# Dependencies first, in their own layer: rebuilt only when uv.lock or the root pyproject change.',
      "# --frozen: the members' pyproject.toml files are not here yet, and --locked needs them to check the",
      '# lock; uv reads the member list from uv.lock instead. The next step checks the lock (--locked).',
      '# --no-install-workspace: no member is installed yet, only third-party packages.',
      ...continued(`RUN ${UV_CACHE}`, [
        '--mount=type=bind,source=uv.lock,target=/app/uv.lock',
        '--mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml',
        ...withSecrets(model, `uv sync --frozen --no-install-workspace${syncSelection(model.install)}${pkg}`),
      ]),
      '',
      '# The whole workspace (filtered by the .dockerignore): the lock check needs every member, and',
      '# this member may depend on others. Only the environment reaches the final stage.',
      'COPY . .',
    );
  } else {
    lines.push(
      '# Dependencies first, in their own layer: rebuilt only when uv.lock or pyproject.toml change,',
      '# not on every source edit.',
      ...continued(`RUN ${UV_CACHE}`, [
        '--mount=type=bind,source=uv.lock,target=/app/uv.lock',
        '--mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml',
        ...withSecrets(
          model,
          `uv sync --locked --no-install-project${syncSelection(model.install)}${model.packaged ? '' : ` ${DROP_LOCK}`}`,
        ),
      ]),
    );
    if (model.packaged) {
      lines.push(
        '',
        "# Then the project: only what its build reads (pyproject's `readme` too: the build backend",
        '# reads it).',
        'COPY pyproject.toml uv.lock ./',
        ...(model.readme ? [`COPY ${model.readme} ${model.readme}`] : []),
        ...model.sourcePaths.map((path) => `COPY ${path} ${path}`),
      );
    }
  }
  if (model.packaged || model.workspace) {
    lines.push(
      model.workspace
        ? '# --no-editable installs this member, and the members it uses, into the environment as wheels:'
        : '# --no-editable installs the project into the environment as a wheel:',
      '# the final stage needs no source tree.',
      ...continued(`RUN ${UV_CACHE}`, [
        ...withSecrets(
          model,
          `uv sync --locked${syncSelection(model.install)} --no-editable${pkg} ${DROP_LOCK}`,
        ),
      ]),
    );
  } else {
    lines.push(
      '# A virtual project ([tool.uv] package = false) is not installed itself: the environment is',
      '# complete, and the final stage copies the sources next to it.',
    );
  }
  return [...lines, ''];
}

/** uv leaves an empty, world-writable lock file in the environment; the image needs none. */
const DROP_LOCK = '&& rm -f /app/.venv/.lock';

function finalStage(model: ProjectModel, layout: BuildLayout): string[] {
  const { uid, gid, port } = model.config;
  const lines = [
    `FROM python:${arg('PYTHON_VERSION')}-slim`,
    ...aptInstall(aptPackages(model, 'runtime'), 'Shared libraries the dependencies load at run time.'),
    '# The runtime user: numeric ids (so Kubernetes runAsNonRoot can check them), no login shell, no home.',
    '# No setuid/setgid programs either (su, passwd, mount...): nothing in the container can gain rights.',
    ...continued(`RUN groupadd --system --gid ${gid} app`, [
      `&& useradd --system --uid ${uid} --gid ${gid} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app`,
      '&& find / -xdev -perm /6000 -type f -exec chmod a-s {} +',
    ]),
    `WORKDIR ${layout.appDir}`,
    '# Owned by root (0:0) and only readable by the runtime user: a compromised app cannot rewrite its',
    '# own code or dependencies. No `chown -R` layer, which would copy every file a second time.',
    'COPY --from=builder --chown=0:0 /app/.venv /app/.venv',
  ];
  // A virtual project runs from its sources; a packaged one from its wheel, plus any source the
  // app imports that the wheel leaves out. Both are imported through PYTHONPATH below.
  const { copied, roots } = finalStageSources(model);
  const copy = (path: string) => `COPY --chown=0:0 ${layout.prefix}${path} ${inApp(layout, path)}`;
  if (copied.length > 0) {
    lines.push(
      model.packaged
        ? `# The wheel does not install ${copied.join(', ')}, which the app imports: copied, on PYTHONPATH below.`
        : '# A virtual project runs from its sources, imported through PYTHONPATH below.',
      ...copied.map(copy),
    );
  }
  const files = (model.runtimeFiles ?? []).map((f) => f.path);
  if (files.length > 0)
    lines.push('# Files the app opens at run time: root-owned, read-only.', ...files.map(copy));
  const env = [
    'PATH=/app/.venv/bin:$PATH',
    '# Logs reach `docker logs` / `kubectl logs` at once; no .pyc written on a read-only filesystem.',
    'PYTHONUNBUFFERED=1',
    'PYTHONDONTWRITEBYTECODE=1',
  ];
  if (roots.length > 0) env.push(`PYTHONPATH=${roots.map((root) => inApp(layout, root)).join(':')}`);
  env.push(
    '# uvicorn reads UVICORN_* variables: Kubernetes (or docker run -e) can change them without a rebuild.',
    'UVICORN_HOST=0.0.0.0',
    `UVICORN_PORT=${port}`,
  );
  lines.push('', ...envBlock(env), '', ...labels(model), `EXPOSE ${port}`, ...healthcheck(model));
  lines.push(
    '# Numeric, so that the kubelet can check runAsNonRoot without reading /etc/passwd.',
    `USER ${uid}:${gid}`,
    ...cmdComment(model),
    `CMD ${execForm(uvicornCommand(model))}`,
    '',
  );
  return lines;
}

/** A LABEL value in double quotes: Docker expands `$` there, so it is escaped along with quotes. */
function quoted(value: string): string {
  return `"${value.replace(/\s+/g, ' ').replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

function labels(model: ProjectModel): string[] {
  const pairs: [string, string][] = [
    ['org.opencontainers.image.title', quoted(model.name)],
    ['org.opencontainers.image.description', quoted(model.description ?? model.name)],
    ['org.opencontainers.image.version', `"${arg('VERSION')}"`],
    ['org.opencontainers.image.revision', `"${arg('REVISION')}"`],
    ['org.opencontainers.image.created', `"${arg('CREATED')}"`],
    ['org.opencontainers.image.source', `"${arg('SOURCE')}"`],
  ];
  if (model.config.maintainer)
    pairs.push(['org.opencontainers.image.authors', quoted(model.config.maintainer)]);
  return [
    '# OCI labels. Declared after every RUN so that a new revision or date does not invalidate cached',
    '# layers. `slipway build` passes REVISION (git commit) and CREATED (RFC 3339 time) as --build-arg.',
    `ARG VERSION=${model.version}`,
    'ARG REVISION=',
    'ARG CREATED=',
    `ARG SOURCE=${model.config.source ?? ''}`,
    ...continued(
      `LABEL ${pairs[0]?.[0]}=${pairs[0]?.[1]}`,
      pairs.slice(1).map(([key, value]) => `${key}=${value}`),
      '      ',
    ),
  ];
}

function healthcheck(model: ProjectModel): string[] {
  const path = livenessPath(model);
  if (!path) return ['# No health route was found, so the image has no HEALTHCHECK.'];
  // The port comes from UVICORN_PORT at run time, so the check follows an override of it.
  const probe = [
    'python',
    '-c',
    `import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('UVICORN_PORT', '${model.config.port}') + '${path}', timeout=4)`,
  ];
  return [
    `# Docker's own health state (Kubernetes uses its probes instead). python, because slim has no curl;`,
    '# urlopen raises, so the check fails, on a connection error or any 4xx/5xx answer.',
    ...continued('HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3', [
      `CMD ${execForm(probe)}`,
    ]),
  ];
}

function cmdComment(model: ProjectModel): string[] {
  return [
    '# Exec form: uvicorn is PID 1 and gets SIGTERM itself; host and port come from UVICORN_*.',
    model.app.factory
      ? `# ${model.app.module}:${model.app.attribute} is a function that returns the app (--factory calls it).`
      : `# ${model.app.module}:${model.app.attribute} is the ASGI app (module:attribute).`,
    '# --proxy-headers, --forwarded-allow-ips: trust X-Forwarded-* from the ingress or load balancer.',
    "# --timeout-graceful-shutdown: seconds for requests in flight after SIGTERM; the pod's grace",
    '# period is longer.',
    ...(model.config.workers > 1
      ? [`# --workers: ${model.config.workers} processes in this container.`]
      : []),
  ];
}

/** The exec-form command: uvicorn is PID 1 and receives SIGTERM itself. */
export function uvicornCommand(model: ProjectModel): string[] {
  const command = [
    'uvicorn',
    `${model.app.module}:${model.app.attribute}`,
    // Behind an ingress or load balancer: trust X-Forwarded-* so the app sees the client's scheme.
    '--proxy-headers',
    '--forwarded-allow-ips',
    '*',
    // Kubernetes' terminationGracePeriodSeconds is longer than this, so requests in flight finish.
    '--timeout-graceful-shutdown',
    String(model.config.gracefulTimeout),
  ];
  if (model.app.factory) command.push('--factory');
  if (model.config.workers > 1) command.push('--workers', String(model.config.workers));
  return command;
}

import { syncSelection } from '../analyze/groups.js';
import type { ProjectModel } from '../analyze/model.js';
import { UV_VERSION } from '../pins.js';
import {
  aptPackages,
  type BuildLayout,
  buildCommand,
  buildLayout,
  continued,
  execForm,
  imageRef,
  secretMounts,
} from './common.js';
import {
  aptInstall,
  builderFrom,
  builderSetup,
  checkBase,
  pythonVersionComment,
  shellless,
} from './dockerfile-bases.js';
import { shelllessStage } from './dockerfile-final.js';
import { LIST_FILES, PROJECT_STAGE, projectCopy, STAGE_PROJECT_FILES } from './dockerfile-project.js';
import {
  appCopies,
  arg,
  cmdComment,
  healthcheck,
  labels,
  runtimeEnv,
  uvicornCommand,
} from './dockerfile-run.js';

export { uvicornCommand } from './dockerfile-run.js';

/**
 * The production Dockerfile: a builder stage that installs the locked dependencies with uv and a
 * final stage that holds only the virtual environment (plus the sources of a virtual project) and
 * runs uvicorn as a numeric, unprivileged user. Every parameter is commented so the file can be
 * read, and reused, without slipway.
 */
export function dockerfile(model: ProjectModel): string {
  checkBase(model);
  const layout = buildLayout(model);
  const final = shellless(model.config.base) ? shelllessStage(model, layout) : finalStage(model, layout);
  return [...header(model, layout), ...builderStage(model), ...final].join('\n');
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
    pythonVersionComment(model.config.base),
    `ARG PYTHON_VERSION=${model.python.version}`,
    '# uv release that installs the locked dependencies; pinned so that builds are repeatable.',
    `ARG UV_VERSION=${UV_VERSION}`,
    '',
    '# uv comes from its own image: two static binaries, no pip or installer script in the build.',
    `FROM ghcr.io/astral-sh/uv:${arg('UV_VERSION')} AS uv`,
    '',
  ];
}

const UV_CACHE = '--mount=type=cache,target=/root/.cache/uv';

/** A uv sync command with the private-index secrets mounted and set for it alone. */
function withSecrets(
  model: ProjectModel,
  command: string,
  around: { readonly before?: string; readonly after?: readonly string[] } = {},
): string[] {
  const { mounts, env } = secretMounts(model);
  const after = around.after ?? [];
  if (!around.before) return [...mounts, ...env, command, ...after];
  // The secrets' variables prefix the uv command itself, so what runs before comes first.
  const [check, ...assignments] = env;
  const rest = check === undefined ? [`&& ${command}`] : [`&& ${check}`, ...assignments, command];
  return [...mounts, around.before, ...rest, ...after];
}

function builderStage(model: ProjectModel): string[] {
  const pkg = model.workspace ? ` --package ${model.workspace.package}` : '';
  const lines = [
    ...builderFrom(model.config.base),
    '# uvx stays in this stage: the final stage copies nothing from here but the environment.',
    'COPY --from=uv /uv /uvx /bin/',
    '# UV_COMPILE_BYTECODE: compile .pyc at build time (faster start; the root filesystem is read-only',
    '#   at run time). UV_LINK_MODE=copy: the uv cache is a separate mount, hard links cannot cross it.',
    "# UV_PYTHON_DOWNLOADS=0: use the image's Python, never download another one.",
    'ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=0',
    'WORKDIR /app',
    '',
    ...builderSetup(model),
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
        ...withSecrets(
          model,
          `uv sync --frozen --no-install-workspace${syncSelection(model.install)}${pkg} ${DROP_LOCK}`,
        ),
      ]),
      '',
      ...PROJECT_STAGE,
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
          `uv sync --locked --no-install-project${syncSelection(model.install)} ${DROP_LOCK}`,
        ),
      ]),
    );
    if (model.packaged) {
      lines.push(
        '',
        ...PROJECT_STAGE,
        "# Only what the project's build reads (pyproject's `readme` too: the build backend reads it).",
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
      '# the final stage needs no source tree. The files of the environment are listed first; every',
      '# file that this sync added, or rewrote, is then copied to /project at the same path.',
      ...continued(`RUN ${UV_CACHE}`, [
        ...withSecrets(
          model,
          `uv sync --locked${syncSelection(model.install)} --no-editable${pkg} ${DROP_LOCK}`,
          { before: LIST_FILES, after: STAGE_PROJECT_FILES },
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
    ...projectCopy(model),
  ];
  lines.push(...appCopies(model, layout), '', ...runtimeEnv(model, layout), '', ...labels(model));
  lines.push(`EXPOSE ${port}`, ...healthcheck(model));
  lines.push(
    '# Numeric, so that the kubelet can check runAsNonRoot without reading /etc/passwd.',
    `USER ${uid}:${gid}`,
    ...cmdComment(model),
    `CMD ${execForm(uvicornCommand(model))}`,
    '',
  );
  return lines;
}

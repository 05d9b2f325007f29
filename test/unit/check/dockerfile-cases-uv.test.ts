import { ruleCases } from './cases.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const FROM = 'FROM python:3.13-slim';

ruleCases('SLW-D006', {
  catches: [
    ['no flags at all', lines(FROM, 'RUN uv sync'), [2]],
    ['locked but dev included', lines(FROM, 'RUN uv sync --locked'), [2]],
    ['UV_NO_DEV=0 does not exclude dev', lines(FROM, 'ENV UV_NO_DEV=0', 'RUN uv sync --frozen'), [3]],
    ['--group dev puts dev back', lines(FROM, 'RUN uv sync --locked --no-default-groups --group dev'), [2]],
    ['--all-groups includes dev', lines(FROM, 'ENV UV_NO_DEV=1', 'RUN uv sync --locked --all-groups'), [3]],
    ['UV_NO_DEV set after the RUN', lines(FROM, 'RUN uv sync --locked', 'ENV UV_NO_DEV=1'), [2]],
    ['a global ARG is not in the stage', lines('ARG UV_FROZEN=1', FROM, 'RUN uv sync --no-dev'), [3]],
    [
      'each command of a RUN, after a comment in the continuation',
      lines(
        FROM,
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev \\',
        '# then',
        '  && uv sync',
      ),
      [2],
    ],
  ],
  catchesNot: [
    ['--locked --no-dev', lines(FROM, 'RUN uv sync --locked --no-dev')],
    ['ENV UV_NO_DEV=1 with --frozen', lines(FROM, 'ENV UV_NO_DEV=1', 'RUN uv sync --frozen')],
    ['ENV UV_LOCKED and UV_NO_DEV', lines(FROM, 'ENV UV_LOCKED=true UV_NO_DEV=yes', 'RUN uv sync')],
    ['ARG UV_FROZEN in the stage', lines(FROM, 'ARG UV_FROZEN=1', 'RUN uv sync --no-dev')],
    ['re-declared global ARG', lines('ARG UV_NO_DEV=1', FROM, 'ARG UV_NO_DEV', 'RUN uv sync --locked')],
    ['--no-group dev', lines(FROM, 'RUN uv sync --locked --no-group dev')],
    ['--no-group=dev', lines(FROM, 'RUN uv sync --locked --no-group=dev')],
    [
      '--no-default-groups --group server',
      lines(FROM, 'RUN uv sync --locked --no-default-groups --group server'),
    ],
    ['--only-group', lines(FROM, 'RUN uv sync --frozen --only-group server')],
    [
      'inherited from the parent stage',
      lines(`${FROM} AS base`, 'ENV UV_NO_DEV=1 UV_LOCKED=1', 'FROM base', 'RUN uv sync'),
    ],
    ['uv pip sync is not uv sync', lines(FROM, 'RUN uv pip sync requirements.txt')],
  ],
});

ruleCases('SLW-D007', {
  catches: [
    [
      'source copied before the install',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY src src',
        'RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock uv sync --locked',
      ),
      [3],
    ],
    [
      'no cache mount',
      lines(FROM, 'WORKDIR /app', 'COPY pyproject.toml uv.lock ./', 'RUN uv sync --locked'),
      [4],
    ],
    [
      'no lock at all',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY pyproject.toml ./',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync',
      ),
      [4],
    ],
    [
      'a package module is source',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY uv.lock pyproject.toml ./',
        'COPY app/main.py app/main.py',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      ),
      [4],
    ],
    [
      'a lock of another name does not count',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY poetry.lock ./',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync',
      ),
      [3, 4],
    ],
    [
      'a COPY after the sync does not help',
      lines(
        FROM,
        'WORKDIR /app',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
        'COPY uv.lock ./',
      ),
      [3],
    ],
    [
      'a cache mount made useless by --no-cache',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY uv.lock pyproject.toml ./',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-cache',
      ),
      [4],
    ],
    [
      'UV_NO_CACHE in the environment',
      lines(
        FROM,
        'ENV UV_NO_CACHE=1',
        'WORKDIR /app',
        'COPY uv.lock pyproject.toml ./',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      ),
      [5],
    ],
    [
      "a cache mount on pip's cache, not uv's",
      lines(
        FROM,
        'WORKDIR /app',
        'COPY uv.lock pyproject.toml ./',
        'RUN --mount=type=cache,target=/root/.cache/pip uv sync --locked',
      ),
      [4],
    ],
    [
      'UV_CACHE_DIR moved the cache away from the mount',
      lines(
        FROM,
        'ENV UV_CACHE_DIR=/opt/uv-cache',
        'WORKDIR /app',
        'COPY uv.lock ./',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      ),
      [5],
    ],
    [
      'a stage FROM one that installed nothing copies its source before the install',
      lines(
        `${FROM} AS base`,
        'WORKDIR /app',
        'FROM base AS project',
        'COPY src src',
        'RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock uv sync --locked',
      ),
      [4],
    ],
  ],
  catchesNot: [
    [
      'a project stage FROM the stage that installed the dependencies (two layers in the final image)',
      lines(
        `${FROM} AS builder`,
        'WORKDIR /app',
        'RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --locked --no-install-project',
        'FROM builder AS project',
        'COPY pyproject.toml uv.lock ./',
        'COPY src src',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-editable',
      ),
    ],
    [
      'bind mounts and cache',
      lines(
        FROM,
        'WORKDIR /app',
        'RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock uv sync --locked',
      ),
    ],
    [
      'uv.lock comes with COPY . (whole context, no source-first finding either way)',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY pyproject.toml uv.lock ./',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project',
        'COPY . /app',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      ),
    ],
    [
      'a glob that matches uv.lock',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY pyproject.toml *.lock ./',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      ),
    ],
    [
      'a stub __init__.py for the build backend is no source',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY pyproject.toml uv.lock README.md ./',
        'COPY src/app/__init__.py src/app/__init__.py',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
        'COPY src src',
      ),
    ],
    [
      'JSON-form COPY of the lock',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY ["uv.lock", "pyproject.toml", "./"]',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      ),
    ],
    ['no uv sync at all', lines(FROM, 'COPY . /app', 'RUN pip install --no-cache-dir /app')],
    [
      'the whole context bind-mounted',
      lines(
        FROM,
        'WORKDIR /app',
        'RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,target=/app uv sync --locked --no-install-project',
      ),
    ],
    [
      'a cache mount on UV_CACHE_DIR',
      lines(
        FROM,
        'ENV UV_CACHE_DIR=/opt/uv-cache',
        'WORKDIR /app',
        'COPY uv.lock ./',
        'RUN --mount=type=cache,target=/opt/uv-cache uv sync --locked',
      ),
    ],
    [
      'a cache mount on the parent folder',
      lines(
        FROM,
        'WORKDIR /app',
        'COPY uv.lock ./',
        'RUN --mount=type=cache,target=/root/.cache uv sync --locked',
      ),
    ],
    [
      'uv.lock copied in the stage it is built on',
      lines(
        `${FROM} AS deps`,
        'WORKDIR /app',
        'COPY uv.lock pyproject.toml ./',
        'FROM deps',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      ),
    ],
    [
      "a non-root user's cache",
      lines(
        FROM,
        'USER 10001',
        'WORKDIR /app',
        'COPY uv.lock ./',
        'RUN --mount=type=cache,target=/home/app/.cache/uv,uid=10001 uv sync --locked',
      ),
    ],
  ],
});

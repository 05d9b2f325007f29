import { ruleCases } from './cases.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const FROM = 'FROM python:3.13-slim';

ruleCases('SLW-D001', {
  catches: [
    ['no tag', lines('FROM python'), [1]],
    ['latest', lines('FROM python:latest'), [1]],
    ['COPY --from an untagged image', lines(FROM, 'COPY --from=ghcr.io/astral-sh/uv /uv /bin/'), [2]],
    ['COPY --from latest', lines(FROM, 'COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/'), [2]],
    [
      'RUN --mount=from an untagged image',
      lines(FROM, 'RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv uv sync'),
      [2],
    ],
    ['ARG default expanded', lines('ARG TAG=latest', 'FROM python:$TAG'), [2]],
  ],
  catchesNot: [
    ['a version tag', lines(FROM)],
    ['a digest', lines('FROM python@sha256:0123456789abcdef')],
    ['a registry port', lines('FROM registry:5000/python:3.13')],
    [
      'COPY --from a stage, by name and by index',
      lines(
        'FROM ghcr.io/astral-sh/uv:0.8 AS uv',
        FROM,
        'COPY --from=uv /uv /bin/',
        'COPY --from=0 /uvx /bin/',
      ),
    ],
    [
      'RUN --mount=from a stage',
      lines(
        'FROM ghcr.io/astral-sh/uv:0.8 AS uv',
        FROM,
        'RUN --mount=from=uv,source=/uv,target=/bin/uv uv --version',
      ),
    ],
    ['a tag from --build-arg', lines('ARG UV', FROM, 'COPY --from=ghcr.io/astral-sh/uv:$UV /uv /bin/')],
    ['FROM with a variable and no default', lines('ARG PY', 'FROM python:$PY')],
  ],
});

ruleCases('SLW-D004', {
  catches: [
    ['ADD a folder', lines(FROM, 'ADD src /app/src'), [2]],
    ['ADD a file', lines(FROM, 'ADD pyproject.toml /app/'), [2]],
    ['ADD with --chown', lines(FROM, 'ADD --chown=10001 . /app'), [2]],
    ['JSON form', lines(FROM, 'ADD ["a b", "/app/"]'), [2]],
    ['several ADDs', lines(FROM, 'ADD a /a', 'ADD b /b'), [2, 3]],
  ],
  catchesNot: [
    ['COPY', lines(FROM, 'COPY src /app/src')],
    ['a local archive ADD unpacks', lines(FROM, 'ADD rootfs.tar.gz /')],
    ['a URL (SLW-D021 judges it)', lines(FROM, 'ADD https://example.com/a.txt /a.txt')],
    ['a URL with a checksum', lines(FROM, 'ADD --checksum=sha256:abc https://example.com/a /a')],
    ['a git repository', lines(FROM, 'ADD git@github.com:org/repo.git /src')],
  ],
});

ruleCases('SLW-D021', {
  catches: [
    ['https', lines(FROM, 'ADD https://example.com/tool.tar.gz /opt/'), [2]],
    ['http', lines(FROM, 'ADD http://example.com/tool /usr/local/bin/tool'), [2]],
    ['with --chmod but no checksum', lines(FROM, 'ADD --chmod=755 https://example.com/t /t'), [2]],
    ['git', lines(FROM, 'ADD git@github.com:org/repo.git /src'), [2]],
    ['JSON form', lines(FROM, 'ADD ["https://example.com/a", "/a"]'), [2]],
  ],
  catchesNot: [
    [
      'with a checksum',
      lines(
        FROM,
        'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a /a',
      ),
    ],
    ['a local file', lines(FROM, 'ADD a.tar.gz /')],
    ['COPY', lines(FROM, 'COPY a /a')],
    ['a URL in a RUN', lines(FROM, 'RUN curl -fsSLo /a https://example.com/a')],
    ['a URL in a label', lines(FROM, 'LABEL org.opencontainers.image.source=https://example.com/x')],
  ],
});

ruleCases('SLW-D018', {
  catches: [
    ['COPY . . without WORKDIR', lines(FROM, 'COPY . .'), [2]],
    ['a relative folder', lines(FROM, 'COPY src app/src'), [2]],
    ['ADD too', lines(FROM, 'ADD a.tar.gz opt'), [2]],
    ['WORKDIR only after it', lines(FROM, 'COPY a b', 'WORKDIR /app'), [2]],
    ['WORKDIR of another, unrelated stage', lines(`${FROM} AS a`, 'WORKDIR /app', FROM, 'COPY x y'), [4]],
  ],
  catchesNot: [
    ['absolute destination', lines(FROM, 'COPY . /app')],
    ['after WORKDIR', lines(FROM, 'WORKDIR /app', 'COPY . .')],
    [
      'WORKDIR inherited from the parent stage',
      lines(`${FROM} AS base`, 'WORKDIR /app', 'FROM base', 'COPY . .'),
    ],
    ['a variable destination', lines(FROM, 'ARG DEST=/app', 'COPY . $DEST')],
    ['JSON form, absolute', lines(FROM, 'COPY ["a b", "/app/"]')],
  ],
});

ruleCases('SLW-D014', {
  catches: [
    ['COPY with one argument', lines(FROM, 'COPY /app'), [2]],
    ['ADD with one argument', lines(FROM, 'ADD x'), [2]],
    ['an unknown instruction', lines(FROM, 'COPPY a /b'), [2]],
    ['RUN without a command', lines(FROM, 'RUN'), [2]],
    ['WORKDIR without a path', lines(FROM, 'WORKDIR'), [2]],
    ['no FROM at all', lines('# just a comment', 'RUN echo'), [1, 2]],
    ['ENV before the first FROM', lines('ARG A=1', 'ENV B=2', FROM), [2]],
  ],
  catchesNot: [
    ['COPY with source and destination', lines(FROM, 'COPY a /b')],
    ['COPY with flags', lines(FROM, 'COPY --chown=10001:10001 --chmod=644 a /b')],
    ['an empty exec-form ENTRYPOINT', lines(FROM, 'ENTRYPOINT []')],
    ['a heredoc COPY', lines(FROM, 'COPY <<EOF /etc/app.conf', 'x=1', 'EOF')],
    ['lower-case instructions', lines('from python:3.13-slim', 'copy a /b', 'run echo')],
    ['global ARGs before FROM', lines('# syntax=docker/dockerfile:1', 'ARG PY=3.13', 'FROM python:$PY-slim')],
  ],
});

import { describe, expect, it } from 'vitest';
import { absoluteMountTargets } from '../../../src/engines/mount-targets.js';

// Relative RUN --mount targets made absolute for buildah < 1.29, on Dockerfiles whose layout the
// former line-by-line reader got wrong (first table) or got right and must keep (second).
const workdirOf = async (image: string) => (image === 'with-workdir:1' ? '/srv' : '/');
const lines = (...text: string[]) => text.join('\n');

const fixed: [string, string, string[]][] = [
  [
    'a comment line inside the continuation',
    lines(
      'FROM python:3.13-slim',
      'WORKDIR /app',
      'RUN --mount=type=cache,target=/root/.cache/uv \\',
      '    # the lock file, read in place',
      '    --mount=type=bind,source=uv.lock,target=uv.lock \\',
      '    uv sync --locked',
    ),
    ['    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\'],
  ],
  [
    'an empty line inside the continuation',
    lines(
      'FROM python:3.13-slim',
      'WORKDIR /app',
      'RUN --mount=type=cache,target=/root/.cache/uv \\',
      '',
      '    --mount=type=bind,source=uv.lock,target=uv.lock \\',
      '    uv sync --locked',
    ),
    ['    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\'],
  ],
  [
    'the escape directive',
    lines(
      '# escape=`',
      'FROM python:3.13-slim',
      'WORKDIR /app',
      'RUN --mount=type=cache,target=/root/.cache/uv `',
      '    --mount=type=bind,source=uv.lock,target=uv.lock `',
      '    uv sync --locked',
    ),
    ['    --mount=type=bind,source=uv.lock,target=/app/uv.lock `'],
  ],
  [
    'instructions inside a heredoc body are data',
    lines(
      'FROM python:3.13-slim',
      'WORKDIR /app',
      'COPY <<EOF /app/notes.txt',
      'WORKDIR /elsewhere',
      'EOF',
      'RUN --mount=type=bind,source=a,target=a cat a',
    ),
    ['RUN --mount=type=bind,source=a,target=/app/a cat a'],
  ],
  [
    'the target key in any case, as BuildKit lower-cases it',
    lines('FROM python:3.13-slim', 'WORKDIR /app', 'RUN --mount=type=bind,source=a,Target=a cat a'),
    ['RUN --mount=type=bind,source=a,Target=/app/a cat a'],
  ],
];

const kept: [string, string, string[]][] = [
  [
    'the target first, in the middle or last, several mounts on one line',
    lines(
      'FROM python:3.13-slim',
      'WORKDIR /app',
      'RUN --mount=target=a,type=bind,source=a --mount=type=bind,dst=b,source=b --mount=type=cache,destination=c true',
    ),
    [
      'RUN --mount=target=/app/a,type=bind,source=a --mount=type=bind,dst=/app/b,source=b --mount=type=cache,destination=/app/c true',
    ],
  ],
  [
    'each stage its own WORKDIR; FROM <stage> continues where that stage ended',
    lines(
      'FROM python:3.13-slim AS One',
      'WORKDIR /one',
      'FROM with-workdir:1 AS two',
      'WORKDIR rel',
      'RUN --mount=type=bind,source=a,target=a true',
      'FROM one',
      'RUN --mount=type=bind,source=b,target=b true',
    ),
    [
      'RUN --mount=type=bind,source=a,target=/srv/rel/a true',
      'RUN --mount=type=bind,source=b,target=/one/b true',
    ],
  ],
  [
    'an ARG in WORKDIR: unknown until a WORKDIR without one',
    lines(
      'FROM python:3.13-slim',
      'ARG APP=/app',
      'WORKDIR $APP',
      'RUN --mount=type=bind,source=a,target=a true',
      'WORKDIR /known',
      'RUN --mount=type=bind,source=b,target=b true',
    ),
    ['RUN --mount=type=bind,source=b,target=/known/b true'],
  ],
  [
    'words after the flags are the command, not mounts',
    lines('FROM python:3.13-slim', 'RUN echo --mount=type=bind,target=a && true'),
    [],
  ],
  [
    'Windows line ends',
    'FROM python:3.13-slim\r\nWORKDIR /app\r\nRUN --mount=type=bind,source=a,target=a \\\r\n  true\r\n',
    ['RUN --mount=type=bind,source=a,target=/app/a \\\r'],
  ],
];

describe('absoluteMountTargets', () => {
  it.each([...fixed, ...kept])('%s', async (_, dockerfile, changed) => {
    const rewritten = await absoluteMountTargets(dockerfile, workdirOf);
    if (changed.length === 0) return expect(rewritten).toBeUndefined();
    // Only the targets change: every other line stays as written.
    const before = dockerfile.split('\n');
    const after = rewritten?.split('\n') ?? [];
    expect(after).toHaveLength(before.length);
    expect(after.filter((line, i) => line !== before[i])).toEqual(changed);
  });
});

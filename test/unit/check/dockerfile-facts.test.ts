import { describe, expect, it } from 'vitest';
import { copyArguments, environmentAt, parseDockerfile, type Step } from '../../../src/dockerfile/facts.js';
import { simpleCommands } from '../../../src/dockerfile/shell.js';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

function steps(text: string): Step[] {
  return parseDockerfile('Dockerfile', text).stages.flatMap((stage) => stage.instructions);
}

describe('the shared Dockerfile reader', () => {
  it('keeps the lines of a RUN with flags: comments in continuations dropped, heredoc bodies whole', () => {
    const [run, heredoc] = steps(
      lines(
        'FROM python:3.13-slim',
        'RUN --mount=type=cache,target=/var/cache/apt apt-get update \\',
        '# gcc for the wheels',
        '  && apt-get install -y gcc',
        'RUN --mount=type=cache,target=/root/.cache/uv <<EOF',
        'set -e',
        '  uv sync   --locked',
        'EOF',
      ),
    );
    expect(run?.flags.map((f) => f.name)).toEqual(['mount']);
    expect(simpleCommands(run?.args ?? '')).toEqual([
      ['apt-get', 'update'],
      ['apt-get', 'install', '-y', 'gcc'],
    ]);
    expect(heredoc?.args).toBe('<<EOF\nset -e\n  uv sync   --locked\nEOF');
    expect(simpleCommands(heredoc?.args ?? '')).toEqual([
      ['set', '-e'],
      ['uv', 'sync', '--locked'],
    ]);
  });

  it('reads an empty JSON array as the exec form, and broken JSON as the shell form', () => {
    const [entrypoint, cmd, broken] = steps(lines('FROM x:1', 'ENTRYPOINT []', 'CMD [ ]', "CMD ['a']"));
    expect(entrypoint?.exec).toEqual([]);
    expect(cmd?.exec).toEqual([]);
    expect(broken?.exec).toBeUndefined();
  });

  it('marks a FROM whose variable has no default, and resolves one that has', () => {
    const facts = parseDockerfile(
      'Dockerfile',
      lines('ARG BASE=runtime', 'ARG PY', 'FROM python:$PY-slim AS runtime', 'FROM $BASE'),
    );
    expect(facts.stages.map((s) => [s.image, s.unresolved, s.fromStage])).toEqual([
      ['python:-slim', true, false],
      ['runtime', false, true],
    ]);
  });

  it('gives the environment a step runs with: ENV and valued ARG, inherited, set before it', () => {
    const facts = parseDockerfile(
      'Dockerfile',
      lines(
        'ARG GLOBAL=1',
        'ARG OTHER=2',
        'FROM python:3.13-slim AS base',
        'ENV UV_NO_DEV=1',
        'FROM base',
        'ARG GLOBAL',
        'ARG UNSET',
        'ENV A="x y"',
        'RUN env',
        'ENV LATER=1',
      ),
    );
    const stage = facts.stages[1];
    const run = stage?.instructions.find((s) => s.keyword === 'RUN');
    if (!stage || !run) throw new Error('no RUN');
    expect(Object.fromEntries(environmentAt(facts, stage, run))).toEqual({
      UV_NO_DEV: '1',
      GLOBAL: '1',
      A: 'x y',
    });
  });

  it('splits COPY into sources and destination, JSON form included, and refuses one argument', () => {
    const [plain, json, single] = steps(
      lines('FROM x:1', 'COPY --chown=1 a b /app/', 'COPY ["a b", "/c d/"]', 'COPY /app'),
    );
    expect(plain && copyArguments(plain)).toEqual({ sources: ['a', 'b'], destination: '/app/' });
    expect(json && copyArguments(json)).toEqual({ sources: ['a b'], destination: '/c d/' });
    expect(single && copyArguments(single)).toBeUndefined();
  });
});

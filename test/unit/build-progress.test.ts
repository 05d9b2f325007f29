import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildProgress, type ProgressEvent } from '../../src/build/progress.js';
import { repoRoot } from '../helpers/cli.js';

// Logs captured from `docker buildx build --progress plain` (buildx 0.13, dockerd 20.10).
function feed(name: string) {
  const progress = new BuildProgress();
  const events: ProgressEvent[] = [];
  for (const line of readFileSync(join(repoRoot, 'test', 'fixtures', 'build-logs', name), 'utf8').split(
    '\n',
  )) {
    const event = progress.feed(line);
    if (event) events.push(event);
  }
  return { progress, events };
}

describe('BuildProgress', () => {
  it('counts cached steps and leaves BuildKit internals out', () => {
    const { progress } = feed('cached.txt');
    const steps = progress.userSteps();
    expect(steps.length).toBeGreaterThan(5);
    expect(steps.every((step) => !step.name.startsWith('[internal]'))).toBe(true);
    const sync = steps.find((step) => step.name.includes('--no-install-project'));
    expect(sync?.status).toBe('cached');
    expect(progress.failedStep()).toBeUndefined();
  });

  it('names the failing step and keeps the engine error', () => {
    const { progress, events } = feed('failing.txt');
    const failed = progress.failedStep();
    expect(failed?.name).toBe('[3/3] RUN echo about to fail && exit 3');
    expect(failed?.output).toContain('about to fail');
    expect(progress.engineError()).toMatch(/exit code: 3/);
    const finished = events.filter((event) => event.kind === 'finish').map((event) => event.step.status);
    expect(finished).toEqual(['cached', 'done', 'error']);
    const hello = progress.userSteps().find((step) => step.name === '[2/3] RUN echo hello');
    expect(hello).toMatchObject({ status: 'done', seconds: 0.4, output: ['hello'] });
  });
});

describe('BuildProgress on a base image that cannot be fetched', () => {
  it('names the image, and only when its metadata step failed', () => {
    const { progress } = feed('missing-base.txt');
    expect(progress.unresolvedImage()).toBe('python:3.9-slim-bullseye');
    expect(progress.failedStep()).toBeUndefined();
    expect(progress.engineError()).toMatch(/^ERROR: failed to solve: .*registry-1\.docker\.io/m);
    expect(feed('failing.txt').progress.unresolvedImage()).toBeUndefined();
    expect(feed('cached.txt').progress.unresolvedImage()).toBeUndefined();
  });
});

describe('BuildProgress on buildah output (podman build)', () => {
  it('reads steps, cache hits and the failing step', () => {
    const { progress } = feed('podman.txt');
    const steps = progress.userSteps();
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['[stage-1 1/1] FROM ghcr.io/astral-sh/uv:0.13.9 AS uv', 'done'],
      ['[stage-2 1/7] FROM docker.io/library/python:3.13-slim AS builder', 'done'],
      ['[stage-2 2/7] COPY --from=uv /uv /uvx /bin/', 'cached'],
      ['[stage-2 3/7] WORKDIR /app', 'cached'],
      ['[stage-2 4/7] RUN echo building && exit 4', 'error'],
    ]);
    expect(progress.failedStep()?.output).toContain('while running runtime: exit status 4');
    expect(progress.engineError()).toMatch(/^Error: building at STEP "RUN echo building && exit 4"/);
  });
});

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

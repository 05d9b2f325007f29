import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

// `uv run pytest` of the reference backend, inside a container of the image's Python version.
describe('reference backend test suite', () => {
  const tag = `slipway-e2e/backend-tests:${process.pid}`;
  let context: string | undefined;

  afterAll(async () => {
    await (await realEngine()).removeImages([tag]);
    if (context) await rm(context, { recursive: true, force: true });
  });

  it('passes with uv run pytest', async () => {
    const engine = await realEngine();
    // A copy without the host's .venv and without .dockerignore (which keeps tests out of images).
    context = await mkdtemp(join(tmpdir(), 'slipway-backend-tests-'));
    const skip = new Set(['.venv', '.pytest_cache', '__pycache__', '.dockerignore', 'Dockerfile', 'deploy']);
    await cp(join(repoRoot, 'examples', 'backend'), context, {
      recursive: true,
      filter: (source) => !skip.has(basename(source)),
    });
    await engine.build({
      context,
      dockerfile: join(repoRoot, 'test', 'fixtures', 'backend-tests', 'Dockerfile'),
      tags: [tag],
    });
    const result = await engine.runOnce({ image: tag }, 180_000);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\d+ passed/);
    expect(result.stdout).not.toMatch(/failed|error/i);
  });
});

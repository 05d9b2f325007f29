import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { repoRoot } from '../helpers/cli.js';
import { realEngine, runLabel } from '../helpers/engine.js';
import { waitForStatus } from '../helpers/http.js';

// The first end-to-end test: a small image FROM the stand-in python:3.13-slim with a venv that uv
// builds from the reference backend's lock, started, asked for its health route, and removed.
describe('reference backend on the real engine', () => {
  let engine: ContainerEngine;
  const tag = `slipway-e2e/smoke:${process.pid}`;
  const label = runLabel('smoke');
  const [labelKey, labelValue] = label.split('=') as [string, string];

  beforeAll(async () => {
    engine = await realEngine();
  });

  afterAll(async () => {
    if (!engine) return;
    await engine.removeContainers(await engine.containersWithLabel(label));
    await engine.removeImages([tag]);
  });

  it('builds with BuildKit from the stand-in base images', async () => {
    const result = await engine.build({
      context: join(repoRoot, 'examples', 'backend'),
      dockerfile: join(repoRoot, 'test', 'fixtures', 'smoke', 'Dockerfile'),
      tags: [tag],
    });
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Cache and bind mounts only exist in BuildKit: the legacy builder would have failed.
    expect(result.log).toMatch(/uv sync --locked --no-install-project --no-dev/);
    const image = await engine.inspectImage(tag);
    expect(image?.user).toBe('10001:10001');
    expect(image?.size).toBeLessThan(300e6);
  });

  it('starts, answers its health route with 200 and stops cleanly', async () => {
    const id = await engine.run({
      image: tag,
      env: { INVENTORY_API_KEY: 'e2e-not-a-real-key' },
      publish: [{ containerPort: 8000 }],
      labels: { [labelKey]: labelValue },
    });
    const { host, port } = await engine.hostPort(id, 8000);
    expect(host).toBe('127.0.0.1');
    const health = await waitForStatus(`http://${host}:${port}/healthz`);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    await waitForStatus(`http://${host}:${port}/readyz`);
    await engine.stop(id, 10);
    const state = await engine.state(id);
    expect(state.running).toBe(false);
    expect(state.exitCode).toBe(0);
    expect(await engine.logs(id)).toMatch(/shutdown complete/);
    expect(await engine.logs(id)).not.toMatch(/e2e-not-a-real-key/);
  });

  it('leaves nothing behind', async () => {
    await engine.removeContainers(await engine.containersWithLabel(label));
    expect(await engine.containersWithLabel(label)).toEqual([]);
  });
});

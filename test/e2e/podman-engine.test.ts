import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { OWNER_LABEL } from '../../src/engines/engine.js';
import { PodmanEngine } from '../../src/engines/podman.js';
import { verifyImage } from '../../src/verify/runner.js';
import { targetFromModel } from '../../src/verify/target.js';
import { repoRoot } from '../helpers/cli.js';
import { runLabel } from '../helpers/engine.js';
import { waitForStatus } from '../helpers/http.js';

/**
 * Podman as the second engine, on the real podman the test bed installs: the reference backend's
 * generated Dockerfile builds, runs under the pod's restrictions, stops cleanly, and passes every
 * verify check, all through PodmanEngine. The e2e global setup brings up the Docker test bed, then
 * podman (scripts/testbed/podman.sh). Without CI a machine that cannot get podman skips these
 * tests; with CI=true that is a failure.
 */
describe('podman engine on the reference backend', () => {
  const engine = new PodmanEngine();
  const backend = join(repoRoot, 'examples', 'backend');
  const tag = `slipway-test/inventory-api-podman:${process.pid}`;
  const label = runLabel('podman-engine');
  const [labelKey, labelValue] = label.split('=') as [string, string];
  let unavailable: string | undefined;
  let before: string[] = [];

  beforeAll(async () => {
    // The e2e global setup ran scripts/testbed/podman.sh (and says why it failed); without it
    // (SLIPWAY_SKIP_TESTBED=1) this only asks whether podman answers.
    unavailable =
      inject('podmanUnavailable') ||
      (await engine.probe().then(
        (info) => info.error,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ));
    if (unavailable) {
      if (process.env.CI === 'true') throw new Error(`podman did not come up (${unavailable})`);
      return;
    }
    before = await engine.containersWithLabel(`${OWNER_LABEL}=slipway`);
  });

  afterAll(async () => {
    if (unavailable) return;
    await engine.removeContainers(await engine.containersWithLabel(label));
    await engine.removeImages([tag]);
    // Nothing this file started is left behind.
    expect(await engine.containersWithLabel(`${OWNER_LABEL}=slipway`)).toEqual(before);
  });

  it('answers with podman and buildah versions', async (context) => {
    if (unavailable) context.skip();
    const info = await engine.probe();
    expect(info.error).toBeUndefined();
    expect(info.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.clientVersion).toBe(info.serverVersion);
    expect(info.builder).toEqual({ available: true, version: expect.stringMatching(/^\d+\.\d+/) });
  });

  it('builds the generated Dockerfile: under 300 MB, user 10001:10001, HEALTHCHECK kept', async (context) => {
    if (unavailable) context.skip();
    const lines: string[] = [];
    const built = await engine.build({
      context: backend,
      tags: [tag],
      buildArgs: { REVISION: 'podman-e2e' },
      onProgress: (line) => lines.push(line),
    });
    expect(built.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    // podman prints its steps on stdout: they reach onProgress too.
    expect(lines.some((line) => /STEP \d+\/\d+: RUN/.test(line))).toBe(true);

    const image = await engine.inspectImage(tag);
    expect(image?.id).toBe(built.imageId);
    expect(image?.size).toBeGreaterThan(0);
    expect(image?.size).toBeLessThan(300e6);
    expect(image?.user).toBe('10001:10001');
    expect(image?.exposedPorts).toEqual(['8000/tcp']);
    expect(image?.labels['org.opencontainers.image.revision']).toBe('podman-e2e');
    expect(image?.healthcheck).toMatchObject({ intervalMs: 10_000, timeoutMs: 5_000, retries: 3 });
    expect(image?.healthcheck?.test[0]).toBe('CMD');

    const layers = await engine.history(tag);
    expect(layers.some((layer) => layer.createdBy.startsWith('RUN ') && layer.size > 0)).toBe(true);
    expect(layers.at(-1)?.createdBy).toMatch(/^CMD /);
  });

  it('runs under the restricted flags, answers /healthz, and exits 0 on SIGTERM', async (context) => {
    if (unavailable) context.skip();
    const id = await engine.run({
      image: tag,
      env: { INVENTORY_API_KEY: 'podman-e2e' },
      publish: [{ containerPort: 8000 }],
      labels: { [labelKey]: labelValue },
      readOnlyRootFilesystem: true,
      tmpfs: ['/tmp'],
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
    });
    const { host, port } = await engine.hostPort(id, 8000);
    expect(host).toBe('127.0.0.1');
    await waitForStatus(`http://${host}:${port}/healthz`);

    const uid = await engine.execIn(id, ['id', '-u']);
    expect(uid).toMatchObject({ code: 0, stdout: '10001\n' });
    const write = await engine.execIn(id, ['touch', '/app/x']);
    expect(write.code).not.toBe(0);
    // The value reached the app through the CLI's environment, never its arguments.
    const key = await engine.execIn(id, ['printenv', 'INVENTORY_API_KEY']);
    expect(key.stdout.trim()).toBe('podman-e2e');

    await engine.kill(id, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    let state = await engine.state(id);
    while (state.running && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = await engine.state(id);
    }
    expect(state).toMatchObject({ running: false, exitCode: 0, oomKilled: false });
    expect(await engine.logs(id)).toMatch(/Application shutdown complete/);
    await engine.removeContainers([id]);
    expect(await engine.containersWithLabel(label)).toEqual([]);
  });

  it('passes every verify check', async (context) => {
    if (unavailable) context.skip();
    const target = targetFromModel(await analyzeProject(backend));
    const report = await verifyImage({ engine, image: tag, target });
    const summary = report.results.map((result) => `${result.status} ${result.id}: ${result.message}`);
    console.log(`verify under podman (${report.durationMs} ms):\n${summary.join('\n')}`);
    const failed = report.results.filter((result) => result.status !== 'pass');
    expect(
      failed.map((result) => [result.id, result.message, ...(result.evidence ?? [])]),
      summary.join('\n'),
    ).toEqual([]);
    expect(report.leftovers).toEqual([]);
  });
});

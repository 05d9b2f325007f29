import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/deploy/cluster.js';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import {
  createSecret,
  deleteNamespace,
  readyPods,
  removeFromCluster,
  restrictedNamespace,
  testCluster,
} from '../helpers/cluster.js';
import { realEngine } from '../helpers/engine.js';

// The image reaches the cluster the way it does in production: slipway pushes it to a registry
// ([tool.slipway] image.registry) and the node pulls it from there. The registry is the test bed's
// real one (scripts/testbed/registry.sh, CNCF distribution, plain HTTP on 127.0.0.1:5000).
const REGISTRY = '127.0.0.1:5000';
const repository = `slipway-e2e-${process.pid}`;
const ns = `slipway-registry-${process.pid}`;
const SELECTOR = 'app.kubernetes.io/name=inventory-api,app.kubernetes.io/instance=inventory-api';
let cluster: Cluster;
let engine: ContainerEngine;
let project = '';
let pushed = '';

describe.sequential('slipway deploy through a real registry', () => {
  beforeAll(async () => {
    cluster = await testCluster();
    engine = await realEngine();
    // A copy of the reference backend whose image goes to the registry.
    project = mkdtempSync(join(tmpdir(), 'slipway-registry-'));
    const backend = join(repoRoot, 'examples', 'backend');
    for (const entry of [
      'pyproject.toml',
      'uv.lock',
      'README.md',
      'Dockerfile',
      '.dockerignore',
      '.python-version',
    ]) {
      copyFileSync(join(backend, entry), join(project, entry));
    }
    cpSync(join(backend, 'src'), join(project, 'src'), { recursive: true });
    appendFileSync(
      join(project, 'pyproject.toml'),
      `\n[tool.slipway.image]\nregistry = "${REGISTRY}/${repository}"\n`,
    );
    // The files follow the config: the manifests name the image in the registry.
    const init = await runCli(['init', project]);
    expect(init.code, init.stderr).toBe(0);
    await restrictedNamespace(cluster, ns);
    await createSecret(cluster, ns, { INVENTORY_API_KEY: randomBytes(16).toString('hex') });
  }, 300_000);

  afterAll(async () => {
    await deleteNamespace(cluster, ns);
    if (pushed) {
      await engine?.removeImages([pushed]);
      await removeFromCluster([pushed]);
    }
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('pushes the image, and the node pulls it from the registry for the production overlay', async () => {
    const result = await runCli(['deploy', project, '--namespace', ns, '--overlay', 'production']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    pushed =
      new RegExp(`^deployed (${REGISTRY}/${repository}/inventory-api:\\S+) to `, 'm').exec(
        result.stdout,
      )?.[1] ?? '';
    expect(pushed, result.stdout).toMatch(/:0\.1\.0-[0-9a-f]{12}$/);
    expect(result.stdout + result.stderr).toContain(`registry ${REGISTRY}/${repository} (push)`);

    // The registry holds the tag that was deployed ...
    const tags = (await (
      await fetch(`http://${REGISTRY}/v2/${repository}/inventory-api/tags/list`)
    ).json()) as {
      tags?: string[];
    };
    expect(tags.tags).toContain(pushed.split(':').at(-1));
    // ... and the running pods were pulled from it: the kubelet reports the registry's digest.
    const pods = await readyPods(cluster, ns, SELECTOR);
    expect(pods.length).toBeGreaterThanOrEqual(1);
    for (const pod of pods) {
      const status = pod.status?.containerStatuses?.[0];
      expect(status?.image).toBe(pushed);
      expect(status?.imageID).toMatch(
        new RegExp(`^${REGISTRY}/${repository}/inventory-api@sha256:[0-9a-f]{64}$`),
      );
    }
  });
});

import { randomBytes } from 'node:crypto';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
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
import { requireHelm, run } from '../unit/generate/helm-tool.js';

/**
 * `slipway deploy --helm` on the real test cluster: a temp copy of the reference backend with the
 * chart `init --with kustomize,helm` writes, installed as a Helm release by real helm with the
 * image slipway built (containerd import, as for Kustomize), the rollout watched by slipway until
 * the pods are ready, then upgraded to a second revision, and uninstalled by `undeploy --helm`.
 * helm is required: the test bed builds it (scripts/testbed/helm.sh); a missing one fails.
 */
const ns = `slipway-helm-deploy-${process.pid}`;
const SELECTOR = 'app.kubernetes.io/name=inventory-api,app.kubernetes.io/instance=inventory-api';
let cluster: Cluster;
let engine: ContainerEngine;
let helm = '';
let work = '';
let deployed = '';
let pushed = '';
const REGISTRY = '127.0.0.1:5000';
const repository = `slipway-helm-${process.pid}`;

const helmStatus = () =>
  run(helm, ['status', 'inventory-api', '--namespace', ns, '--output', 'json'], undefined);

describe.sequential('slipway deploy --helm on the test cluster', () => {
  beforeAll(async () => {
    helm = requireHelm();
    cluster = await testCluster();
    engine = await realEngine();
    work = await mkdtemp(join(tmpdir(), 'slipway-deploy-helm-'));
    await cp(join(repoRoot, 'examples', 'backend'), work, {
      recursive: true,
      filter: (source) => !/[\\/](\.venv|__pycache__|\.pytest_cache)$/.test(source),
    });
    const init = await runCli(['init', '--with', 'kustomize,helm'], { cwd: work });
    expect(init.code, init.stderr).toBe(0);
    await restrictedNamespace(cluster, ns);
    await createSecret(cluster, ns, { INVENTORY_API_KEY: randomBytes(16).toString('hex') });
  }, 300_000);

  afterAll(async () => {
    await deleteNamespace(cluster, ns);
    const images = [deployed, pushed].filter((image) => image !== '');
    await engine?.removeImages(images);
    await removeFromCluster(images);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('installs the chart as a release with the built image, and the pods become ready', async () => {
    const result = await runCli(['deploy', work, '--helm', '--namespace', ns]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    deployed = /^deployed (inventory-api:\S+) to /m.exec(result.stdout)?.[1] ?? '';
    expect(deployed, result.stdout).toMatch(/^inventory-api:0\.1\.0-[0-9a-f]{12}$/);
    expect(result.stderr).toMatch(/render… deploy\/helm\/inventory-api rendered with helm template/);
    expect(result.stdout).toMatch(
      /applied 5 objects \(helm upgrade --install: release inventory-api revision 1, deployed\): 5 created/,
    );
    expect(result.stdout).toMatch(/^rollout 1\/1 replicas available/m);
    expect(result.stdout).toMatch(/^smoke {3}GET \/healthz → 200/m);

    // helm holds the release; the running pods run the image slipway built.
    const status = helmStatus();
    expect(status.status, status.stderr).toBe(0);
    const release = JSON.parse(status.stdout) as { version: number; info: { status: string } };
    expect(release).toMatchObject({ version: 1, info: { status: 'deployed' } });
    const pods = await readyPods(cluster, ns, SELECTOR);
    expect(pods.length).toBeGreaterThanOrEqual(1);
    for (const pod of pods) expect(pod.spec?.containers[0]?.image).toBe(deployed);
    const deployment = await cluster.apps.readNamespacedDeployment({ name: 'inventory-api', namespace: ns });
    expect(deployment.metadata?.annotations?.['meta.helm.sh/release-name']).toBe('inventory-api');
  });

  it('upgrades the release to a new revision with another replica count, and watches it roll out', async () => {
    const result = await runCli([
      'deploy',
      work,
      '--helm',
      '--namespace',
      ns,
      '--image',
      deployed,
      '--no-load',
      '--replicas',
      '2',
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /release inventory-api revision 2, deployed\): 0 created, 1 configured, 4 unchanged/,
    );
    expect(result.stderr).toMatch(/deployment\/inventory-api configured: .*spec\.replicas/);
    expect(result.stdout).toMatch(/^rollout 2\/2 replicas available/m);
    expect((await readyPods(cluster, ns, SELECTOR)).length).toBe(2);
  });

  it('refuses --helm on a project without a chart, naming init --with helm (exit 2)', async () => {
    const bare = await mkdtemp(join(tmpdir(), 'slipway-deploy-nochart-'));
    try {
      await cp(work, bare, { recursive: true, filter: (source) => !source.endsWith(join('deploy', 'helm')) });
      const result = await runCli(['deploy', bare, '--helm', '--namespace', ns, '--no-load']);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/--helm: no chart in .*deploy\/helm/);
      expect(result.stderr).toMatch(/fix: slipway init .* --with kustomize,helm/);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });

  it('undeploy --helm uninstalls the release and its objects', async () => {
    const result = await runCli(['undeploy', work, '--helm', '--namespace', ns]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/deleted deployment\/inventory-api/);
    expect(result.stdout).toMatch(/helm uninstall: release inventory-api/);
    expect(helmStatus().status).not.toBe(0);
    const deployments = await cluster.apps.listNamespacedDeployment({ namespace: ns });
    expect(deployments.items.filter((d) => !d.metadata?.deletionTimestamp)).toEqual([]);
    // The Secret made by hand is not the release's: it stays.
    await expect(
      cluster.core.readNamespacedSecret({ name: 'inventory-api-secrets', namespace: ns }),
    ).resolves.toBeDefined();
    const again = await runCli(['undeploy', work, '--helm', '--namespace', ns]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/no Helm release to uninstall/);
  });

  it('pushes to the registry, says why no attestation is attached, and the release pulls from there', async () => {
    const withRegistry = await mkdtemp(join(tmpdir(), 'slipway-deploy-helm-registry-'));
    try {
      await cp(work, withRegistry, { recursive: true });
      await appendFile(
        join(withRegistry, 'pyproject.toml'),
        `\n[tool.slipway.image]\nregistry = "${REGISTRY}/${repository}"\n`,
      );
      const result = await runCli(['deploy', withRegistry, '--helm', '--namespace', ns]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      pushed =
        new RegExp(`^deployed (${REGISTRY}/${repository}/inventory-api:\\S+) to `, 'm').exec(
          result.stdout,
        )?.[1] ?? '';
      expect(pushed, result.stdout).toMatch(/:0\.1\.0-[0-9a-f]{12}$/);
      expect(result.stderr).toContain(`registry ${REGISTRY}/${repository} (push)`);
      expect(result.stderr).toMatch(
        /load… no provenance or SBOM attestation attached to .*--load drops attestations; buildx's docker driver on Docker \S+ cannot make them/,
      );
      const pods = await readyPods(cluster, ns, SELECTOR);
      expect(pods.length).toBeGreaterThanOrEqual(1);
      for (const pod of pods) {
        expect(pod.status?.containerStatuses?.[0]?.imageID).toMatch(
          new RegExp(`^${REGISTRY}/${repository}/inventory-api@sha256:[0-9a-f]{64}$`),
        );
      }
    } finally {
      await rm(withRegistry, { recursive: true, force: true });
    }
  });
});

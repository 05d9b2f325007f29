import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PSA_ENFORCE } from '../../src/deploy/apply.js';
import type { Cluster } from '../../src/deploy/cluster.js';
import { ContainerdLoader, findCtr } from '../../src/deploy/containerd.js';
import { forwardToService } from '../../src/deploy/port-forward.js';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { runCli } from '../helpers/cli.js';
import {
  createSecret,
  deleteNamespace,
  readyPods,
  removeFromCluster,
  TESTBED_SOCKET,
  testCluster,
  waitFor,
} from '../helpers/cluster.js';
import { realEngine } from '../helpers/engine.js';
import { type LoadSummary, startLoad } from '../helpers/load.js';

// The reference backend on the real test cluster, through the built CLI: deploy into a fresh
// restricted namespace, prove the app works through the Service, then roll and kill pods under load.
const ns = `slipway-e2e-${process.pid}`;
const SELECTOR = 'app.kubernetes.io/name=inventory-api,app.kubernetes.io/instance=inventory-api';
const rolloutTag = `inventory-api:0.1.0-rollout-${process.pid}`;
const apiKey = randomBytes(16).toString('hex');
const LOAD = { requests: 2000, seconds: 20, concurrency: 8, path: '/readyz' } as const;
let cluster: Cluster;
let engine: ContainerEngine;
let deployedImage = '';
const measured: Record<string, unknown> = {};

const deployArgs = (...extra: string[]) => ['deploy', 'examples/backend', '--namespace', ns, ...extra];

async function serviceTarget(): Promise<string> {
  const service = await cluster.core.readNamespacedService({ name: 'inventory-api', namespace: ns });
  return `${service.spec?.clusterIP}:${service.spec?.ports?.[0]?.port}`;
}

async function getThroughService(path: string, init?: RequestInit) {
  const forward = await forwardToService(cluster, ns, 'inventory-api');
  try {
    const response = await fetch(`${forward.url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: await response.text(), pod: forward.pod };
  } finally {
    await forward.close();
  }
}

describe.sequential('slipway deploy: the reference backend on the test cluster', () => {
  beforeAll(async () => {
    cluster = await testCluster();
    engine = await realEngine();
  }, 120_000);

  afterAll(async () => {
    await deleteNamespace(cluster, ns);
    const images = [rolloutTag, ...(deployedImage ? [deployedImage] : [])];
    await engine?.removeImages(images);
    await removeFromCluster(images);
    process.stderr.write(`deploy e2e measurements: ${JSON.stringify(measured)}\n`);
  });

  it('refuses to apply without the Secret, naming the fix, after creating the restricted namespace', async () => {
    const result = await runCli(deployArgs());
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /the Secret inventory-api-secrets does not exist in namespace slipway-e2e-\d+/,
    );
    expect(result.stderr).toMatch(
      new RegExp(
        `fix: kubectl create secret generic inventory-api-secrets --namespace ${ns} --from-env-file=`,
      ),
    );
    const namespace = await cluster.core.readNamespace({ name: ns });
    expect(namespace.metadata?.labels?.[PSA_ENFORCE]).toBe('restricted');
    const deployments = await cluster.apps.listNamespacedDeployment({ namespace: ns });
    expect(deployments.items).toEqual([]);
  });

  it("lists what would be created with the server's dry run, and changes nothing", async () => {
    await createSecret(cluster, ns, { INVENTORY_API_KEY: apiKey });
    const result = await runCli(deployArgs('--dry-run', '--overlay', 'production'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^dry run \(server side\) of inventory-api inventory-api:0\.1\.0 /m);
    expect(result.stdout).toContain('  deployment/inventory-api would be created');
    expect(result.stdout).toContain('  horizontalpodautoscaler/inventory-api would be created');
    expect(result.stderr).toContain('render… deploy/k8s/overlays/production rendered with kubectl kustomize');
    const deployments = await cluster.apps.listNamespacedDeployment({ namespace: ns });
    expect(deployments.items).toEqual([]);
  });

  it('renders with the built-in Kustomize subset when kubectl is not on PATH, and says so', async () => {
    const real = await runCli(deployArgs('--dry-run', '--overlay', 'production'));
    const offline = await runCli(deployArgs('--dry-run', '--overlay', 'production'), {
      env: { ...process.env, PATH: '/nonexistent' },
    });
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stderr).toContain(
      'render… deploy/k8s/overlays/production rendered with the built-in Kustomize subset: kubectl not found',
    );
    // The same objects, whoever rendered them.
    const objects = (out: string) =>
      out
        .split('\n')
        .filter((line) => line.includes(' would be '))
        .sort();
    expect(objects(offline.stdout)).toEqual(objects(real.stdout));
    expect(objects(offline.stdout).length).toBeGreaterThan(3);
  });

  it('builds, loads, applies and rolls out; every replica ready; the smoke test answers', async () => {
    const result = await runCli(deployArgs());
    expect(result.code, result.stdout + result.stderr).toBe(0);
    deployedImage = /^deployed (\S+) to /m.exec(result.stdout)?.[1] ?? '';
    expect(deployedImage).toMatch(/^inventory-api:0\.1\.0-[0-9a-f]{12}$/);
    expect(result.stderr).toContain('render… deploy/k8s/overlays/local rendered with kubectl kustomize');
    expect(result.stdout).toMatch(
      /^applied 5 objects \(server-side apply, field manager slipway\): 5 created/m,
    );
    const rollout = /^rollout 1\/1 replicas available in ([\d.]+)s$/m.exec(result.stdout);
    expect(rollout, result.stdout).not.toBeNull();
    measured.rolloutSeconds = Number(rollout?.[1]);
    expect(result.stdout).toMatch(/^smoke {3}GET \/healthz → 200 via port-forward to pod\/inventory-api-/m);
    const deployment = await cluster.apps.readNamespacedDeployment({ name: 'inventory-api', namespace: ns });
    expect(deployment.status?.readyReplicas).toBe(1);
    expect(deployment.metadata?.managedFields?.some((f) => f.manager === 'slipway')).toBe(true);
  });

  it('passes the Secret to the app: a write with the key is accepted, without it refused', async () => {
    const item = { sku: `E2E-${process.pid}`, name: 'bolt', quantity: 3, price_cents: 25 };
    const headers = { 'content-type': 'application/json' };
    const denied = await getThroughService('/api/items', {
      method: 'POST',
      headers,
      body: JSON.stringify(item),
    });
    expect(denied.status).toBe(401);
    const created = await getThroughService('/api/items', {
      method: 'POST',
      headers: { ...headers, 'x-api-key': apiKey },
      body: JSON.stringify(item),
    });
    expect(created.status, created.body).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ sku: item.sku, quantity: 3 });
  });

  it('replaces a deleted pod, and the Service keeps answering', async () => {
    const [before] = await readyPods(cluster, ns, SELECTOR);
    const name = before?.metadata?.name ?? '';
    await cluster.core.deleteNamespacedPod({ name, namespace: ns });
    const replacement = await waitFor('a ready replacement pod', async () => {
      const pods = await readyPods(cluster, ns, SELECTOR);
      return pods.find((p) => p.metadata?.name !== name);
    });
    const answer = await getThroughService('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.pod).toBe(replacement.metadata?.name);
  });

  it('rolls to a new image tag under load with zero failed requests (2 replicas)', async () => {
    const scaled = await runCli(deployArgs('--image', deployedImage, '--replicas', '2', '--no-smoke'));
    expect(scaled.code, scaled.stdout + scaled.stderr).toBe(0);
    await engine.tag(deployedImage, rolloutTag);
    // The image goes to the node before the load starts, so that the load spans the rollout itself
    // (on a busy machine the import alone can take as long as the load runs); deploy then finds it.
    const ctr = await findCtr();
    if (!ctr) throw new Error('ctr not found: the test cluster (scripts/testbed/cluster/up.sh) provides it');
    expect((await new ContainerdLoader(TESTBED_SOCKET, ctr).load(rolloutTag, engine)).loaded).toBe(true);
    const load = await startLoad(cluster, {
      namespace: ns,
      name: 'load-rollout',
      image: deployedImage,
      target: await serviceTarget(),
      ...LOAD,
    });
    const started = Date.now();
    const result = await runCli(deployArgs('--image', rolloutTag, '--replicas', '2'));
    const deployMs = Date.now() - started;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^image {3}inventory-api:0\.1\.0-rollout-\d+ already in containerd/m);
    const summary: LoadSummary = await load.result();
    measured.rolloutUnderLoad = { ...summary, deployMs };
    expect(summary.requests).toBe(LOAD.requests);
    expect(summary.failed, JSON.stringify(summary.errors)).toBe(0);
    // The load must have outlasted the rollout, or it proved nothing about the rollout.
    expect(summary.seconds * 1000).toBeGreaterThan(deployMs);
    const pods = await readyPods(cluster, ns, SELECTOR);
    expect(pods.map((p) => p.spec?.containers[0]?.image)).toEqual([rolloutTag, rolloutTag]);
  });

  it('loses no request when a pod is deleted under load', async () => {
    const load = await startLoad(cluster, {
      namespace: ns,
      name: 'load-kill',
      image: deployedImage,
      target: await serviceTarget(),
      ...LOAD,
    });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const [victim] = await readyPods(cluster, ns, SELECTOR);
    await cluster.core.deleteNamespacedPod({ name: victim?.metadata?.name ?? '', namespace: ns });
    const summary = await load.result();
    measured.podDeletionUnderLoad = summary;
    expect(summary.requests).toBe(LOAD.requests);
    expect(summary.failed, JSON.stringify(summary.errors)).toBe(0);
    await waitFor('two ready pods again', async () =>
      (await readyPods(cluster, ns, SELECTOR)).length === 2 ? true : undefined,
    );
  });

  it('undeploys what it applied, and the namespace it created', async () => {
    const result = await runCli(['undeploy', 'examples/backend', '--namespace', ns, '--delete-namespace']);
    expect(result.code, result.stderr).toBe(0);
    for (const object of [
      'deployment/inventory-api',
      'service/inventory-api',
      'configmap/inventory-api-config',
    ]) {
      expect(result.stdout).toContain(`deleted ${object}`);
    }
    expect(result.stdout).toContain(`deleted namespace ${ns}`);
    const namespace = await cluster.core.readNamespace({ name: ns }).catch(() => undefined);
    expect(namespace === undefined || namespace.status?.phase === 'Terminating').toBe(true);
  });
});

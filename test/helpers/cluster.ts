import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { PSA_ENFORCE } from '../../src/deploy/apply.js';
import { type Cluster, connect } from '../../src/deploy/cluster.js';
import { containerdName, findCtr } from '../../src/deploy/containerd.js';
import { repoRoot } from './cli.js';

export const TESTBED_SOCKET = '/run/slipway-containerd/containerd.sock';

/**
 * Starts the test cluster once per test process (up.sh is idempotent: about a second when it is
 * up, ~9 minutes for the first cold build of Kubernetes) and points this process, and the CLI it
 * spawns, at its kubeconfig. A cluster that does not come up fails the run, never skips it.
 */
export async function testCluster(): Promise<Cluster> {
  if (process.env.SLIPWAY_TEST_CLUSTER_UP !== '1') {
    const script = join(repoRoot, 'scripts', 'testbed', 'cluster', 'up.sh');
    const result = spawnSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0)
      throw new Error(`the test cluster did not come up (bash ${script} exited ${result.status})`);
    process.env.SLIPWAY_TEST_CLUSTER_UP = '1';
  }
  process.env.KUBECONFIG =
    process.env.SLIPWAY_KUBECONFIG ?? join(homedir(), '.kube', 'slipway-testbed.config');
  return connect();
}

/** A namespace like an operator prepares one: restricted Pod Security, not made by slipway. */
export async function restrictedNamespace(cluster: Cluster, name: string): Promise<void> {
  await cluster.core.createNamespace({
    body: { metadata: { name, labels: { [PSA_ENFORCE]: 'restricted' } } },
  });
}

/** The app's Secret with a throwaway value made at run time; deploy never invents one. */
export async function createSecret(cluster: Cluster, namespace: string, data: Record<string, string>) {
  await cluster.core.createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'inventory-api-secrets' }, stringData: data },
  });
}

export async function deleteNamespace(cluster: Cluster, name: string): Promise<void> {
  await cluster.core.deleteNamespace({ name }).catch(() => undefined);
}

/** Removes test images from the cluster's containerd (Docker's copies are removed by the engine). */
export async function removeFromCluster(images: readonly string[]): Promise<void> {
  const ctr = await findCtr();
  if (!ctr || images.length === 0) return;
  spawnSync(ctr, ['-a', TESTBED_SOCKET, '-n', 'k8s.io', 'images', 'rm', ...images.map(containerdName)], {
    stdio: 'ignore',
  });
}

export async function readyPods(cluster: Cluster, namespace: string, selector: string): Promise<V1Pod[]> {
  const list = await cluster.core.listNamespacedPod({ namespace, labelSelector: selector });
  return list.items.filter(
    (p) =>
      !p.metadata?.deletionTimestamp &&
      p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

/** Polls until `check` returns a value, bounded in time. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  deadlineMs = 90_000,
): Promise<T> {
  const start = Date.now();
  while (Date.now() - start < deadlineMs) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${what}: not within ${deadlineMs / 1000} s`);
}

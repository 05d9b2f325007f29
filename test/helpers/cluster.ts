import { spawnSync } from 'node:child_process';
import type { V1Pod } from '@kubernetes/client-node';
import { PSA_ENFORCE } from '../../src/deploy/apply.js';
import { type Cluster, connect } from '../../src/deploy/cluster.js';
import { containerdName, findCtr } from '../../src/deploy/containerd.js';
import { testbedKubeconfig } from './testbed.js';

export const TESTBED_SOCKET = '/run/slipway-containerd/containerd.sock';

/**
 * Connects to the test cluster. It is brought up before any test runs, by the e2e project's global
 * setup (test/helpers/testbed-setup.ts); bringing it up here, inside a test's setup, made its first
 * ~10-minute build block a worker until vitest's RPC timed out. connect() asks the API server for
 * its version, so a cluster that does not answer fails the test with the fix, never skips it.
 */
export async function testCluster(): Promise<Cluster> {
  // The global setup sets this already; set here too so a file run with SLIPWAY_SKIP_TESTBED=1
  // still targets the test cluster, never the context the user's own kubeconfig selects.
  process.env.KUBECONFIG = testbedKubeconfig();
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

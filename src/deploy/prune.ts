import type { KubernetesObject } from '@kubernetes/client-node';
import { UsageError } from '../errors.js';
import { applyError } from './apply.js';
import { type Cluster, isNotFound } from './cluster.js';
import { FIELD_MANAGER, INSTANCE, MANAGED_BY, type Manifest } from './manifests.js';

// Kinds slipway's manifests use; swept by label too, so an object dropped from the overlay since
// the last deploy is removed as well.
const SWEPT: readonly [string, string][] = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['v1', 'ServiceAccount'],
  ['networking.k8s.io/v1', 'Ingress'],
];

export interface RemovedObject {
  readonly kind: string;
  readonly name: string;
}

/** Whether slipway deploy applied this object: it holds fields as manager slipway, or its labels. */
export function appliedBySlipway(object: KubernetesObject, instance: string): boolean {
  const meta = object.metadata;
  if (meta?.managedFields?.some((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply')) return true;
  return meta?.labels?.[MANAGED_BY] === FIELD_MANAGER && meta.labels[INSTANCE] === instance;
}

/**
 * Deletes what deploy applied: the rendered objects and anything labelled as this instance, but
 * only objects slipway applied (a Secret made by hand, or another tool's object, stays).
 */
export async function removeApplied(
  cluster: Cluster,
  namespace: string,
  rendered: readonly Manifest[],
  instance: string,
  dryRun: boolean,
): Promise<RemovedObject[]> {
  const seen = new Map<string, KubernetesObject>();
  const key = (o: KubernetesObject) => `${o.kind}/${o.metadata?.name}`;
  for (const object of rendered) {
    if (object.kind === 'Namespace') continue;
    try {
      const live = await cluster.objects.read({
        apiVersion: object.apiVersion ?? 'v1',
        kind: object.kind ?? '',
        metadata: { name: object.metadata?.name ?? '', namespace },
      });
      seen.set(key(live), { ...live, apiVersion: object.apiVersion, kind: object.kind });
    } catch (error) {
      if (!isNotFound(error)) throw applyError(`reading ${key(object)}`, error);
    }
  }
  const labelSelector = `${MANAGED_BY}=${FIELD_MANAGER},${INSTANCE}=${instance}`;
  for (const [apiVersion, kind] of SWEPT) {
    try {
      const list = await cluster.objects.list(
        apiVersion,
        kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        labelSelector,
      );
      for (const item of list.items)
        seen.set(`${kind}/${item.metadata?.name}`, { ...item, apiVersion, kind });
    } catch (error) {
      // A cluster without this API (an older autoscaling version, no Ingress) has none to delete.
      if (!isNotFound(error)) throw applyError(`listing ${kind}`, error);
    }
  }
  const removed: RemovedObject[] = [];
  for (const object of seen.values()) {
    if (!appliedBySlipway(object, instance)) continue;
    try {
      await cluster.objects.delete(
        object,
        undefined,
        dryRun ? 'All' : undefined,
        undefined,
        undefined,
        'Background',
      );
      removed.push({ kind: object.kind ?? '?', name: object.metadata?.name ?? '?' });
    } catch (error) {
      if (!isNotFound(error)) throw applyError(`deleting ${key(object)}`, error);
    }
  }
  return removed;
}

/** Refuses to delete a namespace slipway did not create: other things may live there. */
export async function checkNamespaceDeletable(cluster: Cluster, namespace: string): Promise<boolean> {
  try {
    const ns = await cluster.core.readNamespace({ name: namespace });
    if (ns.metadata?.labels?.[MANAGED_BY] !== FIELD_MANAGER) {
      throw new UsageError(`namespace ${namespace} was not created by slipway deploy; it is left in place`, {
        fix: `drop --delete-namespace, or delete it yourself: kubectl delete namespace ${namespace}`,
      });
    }
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    if (error instanceof UsageError) throw error;
    throw applyError(`reading namespace ${namespace}`, error);
  }
}

export async function deleteNamespace(cluster: Cluster, namespace: string, dryRun: boolean): Promise<void> {
  try {
    await cluster.core.deleteNamespace({ name: namespace, ...(dryRun ? { dryRun: 'All' } : {}) });
  } catch (error) {
    if (!isNotFound(error)) throw applyError(`deleting namespace ${namespace}`, error);
  }
}

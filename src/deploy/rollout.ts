import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { Cluster } from './cluster.js';
import { type Diagnosis, diagnose } from './diagnose.js';
import { type MigrationWait, waitForMigration } from './migration.js';

export interface PodProgress {
  readonly name: string;
  /** Pending, Running, Succeeded, Failed, or the waiting reason (ContainerCreating, CrashLoopBackOff...). */
  readonly phase: string;
  readonly ready: boolean;
  readonly restarts: number;
  readonly terminating: boolean;
}

export interface RolloutProgress {
  readonly desired: number;
  readonly updated: number;
  readonly ready: number;
  readonly available: number;
  /** Pods of the new revision and old pods still running, newest first. */
  readonly pods: readonly PodProgress[];
  readonly elapsedMs: number;
}

export interface RolloutResult {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly progress: RolloutProgress;
  /** Set when the rollout failed: why, pod by pod. */
  readonly diagnoses: readonly Diagnosis[];
  /** Failed because the deadline passed (rather than a cause that waiting cannot fix). */
  readonly timedOut: boolean;
  /** The app's migration Job, waited for before the Deployment; absent when it has none. */
  readonly migration?: MigrationWait;
}

export interface WatchOptions {
  readonly timeoutMs: number;
  readonly onProgress?: (progress: RolloutProgress) => void;
  /** @default 1000 */
  readonly intervalMs?: number;
}

/** Polls the Deployment, its pods and their events until available, hopeless, or out of time. */
export async function watchRollout(
  cluster: Cluster,
  namespace: string,
  name: string,
  options: WatchOptions,
): Promise<RolloutResult> {
  const started = Date.now();
  const logs = new Map<string, string>();
  // The migration first: new pods that serve before it has run would meet the old schema.
  const migration = await waitForMigration(cluster, namespace, name, {
    timeoutMs: options.timeoutMs,
    ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
  });
  const withMigration = migration ? { migration } : {};
  if (migration?.diagnosis) {
    const deployment = await cluster.apps.readNamespacedDeployment({ name, namespace });
    const { pods } = await currentPods(cluster, namespace, deployment);
    const elapsedMs = Date.now() - started;
    return {
      ok: false,
      durationMs: elapsedMs,
      progress: progressOf(deployment, pods, elapsedMs),
      diagnoses: [migration.diagnosis],
      timedOut: !migration.diagnosis.terminal,
      ...withMigration,
    };
  }
  for (;;) {
    const elapsedMs = Date.now() - started;
    const deployment = await cluster.apps.readNamespacedDeployment({ name, namespace });
    const { pods, replicaSet } = await currentPods(cluster, namespace, deployment);
    const progress = progressOf(deployment, pods, elapsedMs);
    options.onProgress?.(progress);
    if (isComplete(deployment))
      return { ok: true, durationMs: elapsedMs, progress, diagnoses: [], timedOut: false, ...withMigration };
    const newPods = pods.filter((p) => p.metadata?.labels?.['pod-template-hash'] === replicaSet);
    const events = await eventsFor(
      cluster,
      namespace,
      newPods,
      replicaSet ? `${name}-${replicaSet}` : undefined,
    );
    await fetchCrashLogs(cluster, namespace, newPods, logs);
    const diagnoses = diagnose({ pods: newPods, events, logs });
    const deadline = elapsedMs >= options.timeoutMs || progressDeadlineExceeded(deployment);
    if (deadline || diagnoses.some((d) => d.terminal)) {
      return { ok: false, durationMs: elapsedMs, progress, diagnoses, timedOut: deadline, ...withMigration };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
  }
}

/** The same test as `kubectl rollout status`: every replica updated, available, and no old ones left. */
export function isComplete(deployment: V1Deployment): boolean {
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 1) &&
    (status.updatedReplicas ?? 0) >= desired &&
    (status.replicas ?? 0) <= (status.updatedReplicas ?? 0) &&
    (status.availableReplicas ?? 0) >= (status.updatedReplicas ?? 0)
  );
}

function progressDeadlineExceeded(deployment: V1Deployment): boolean {
  return (deployment.status?.conditions ?? []).some(
    (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
}

async function currentPods(cluster: Cluster, namespace: string, deployment: V1Deployment) {
  const labels = deployment.spec?.selector.matchLabels ?? {};
  const labelSelector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const revision = deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const [podList, rsList] = await Promise.all([
    cluster.core.listNamespacedPod({ namespace, labelSelector }),
    cluster.apps.listNamespacedReplicaSet({ namespace, labelSelector }),
  ]);
  const current = rsList.items.find(
    (rs) =>
      rs.metadata?.ownerReferences?.some((o) => o.uid === deployment.metadata?.uid) &&
      rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === revision,
  );
  return { pods: podList.items, replicaSet: current?.metadata?.labels?.['pod-template-hash'] };
}

export function progressOf(
  deployment: V1Deployment,
  pods: readonly V1Pod[],
  elapsedMs: number,
): RolloutProgress {
  const status = deployment.status ?? {};
  return {
    desired: deployment.spec?.replicas ?? 1,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
    pods: [...pods]
      .sort((a, b) =>
        String(b.metadata?.creationTimestamp ?? '').localeCompare(
          String(a.metadata?.creationTimestamp ?? ''),
        ),
      )
      .map(podProgress),
    elapsedMs,
  };
}

function podProgress(pod: V1Pod): PodProgress {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = [...(pod.status?.initContainerStatuses ?? []), ...statuses].find((s) => s.state?.waiting)
    ?.state?.waiting?.reason;
  return {
    name: pod.metadata?.name ?? '?',
    phase: waiting ?? pod.status?.phase ?? 'Pending',
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    restarts: statuses.reduce((sum, s) => sum + s.restartCount, 0),
    terminating: Boolean(pod.metadata?.deletionTimestamp),
  };
}

async function eventsFor(
  cluster: Cluster,
  namespace: string,
  pods: readonly V1Pod[],
  replicaSet: string | undefined,
): Promise<CoreV1Event[]> {
  const names = new Set(pods.map((p) => p.metadata?.name));
  if (replicaSet) names.add(replicaSet);
  const list = await cluster.core.listNamespacedEvent({ namespace });
  return list.items
    .filter((e) => names.has(e.involvedObject.name))
    .sort((a, b) => eventTime(a) - eventTime(b));
}

function eventTime(event: CoreV1Event): number {
  const when =
    event.lastTimestamp ?? event.series?.lastObservedTime ?? event.eventTime ?? event.firstTimestamp;
  return when ? new Date(when).getTime() : 0;
}

/** The previous run's last lines of each restarted container: why it exited, in its own words. */
async function fetchCrashLogs(
  cluster: Cluster,
  namespace: string,
  pods: readonly V1Pod[],
  logs: Map<string, string>,
): Promise<void> {
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) {
      if (!status.lastState?.terminated) continue;
      const name = pod.metadata?.name ?? '';
      try {
        const text = await cluster.core.readNamespacedPodLog({
          name,
          namespace,
          container: status.name,
          previous: true,
          tailLines: 20,
        });
        logs.set(`${name}/${status.name}`, text);
      } catch {
        // The previous container's log is gone (the node pruned it): the diagnosis says so.
      }
    }
  }
}

import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { Cluster } from './cluster.js';
import type { Diagnosis } from './diagnose.js';

/**
 * The wait for the migration Job that `slipway init` writes beside the Deployment (see
 * src/generate/k8s/migration.ts): the newest Job of the app labelled as its migration must
 * succeed before the rollout counts. Its failure is reported with the Job's own log.
 */
export interface MigrationWait {
  readonly job: string;
  readonly ok: boolean;
  readonly durationMs: number;
  /** Set when it failed (or the deadline passed): the cause, with the pod's last log lines. */
  readonly diagnosis: Diagnosis | undefined;
}

/** Labels the generated Job carries (component = migration, instance = the app's name). */
export function migrationSelector(app: string): string {
  return `app.kubernetes.io/instance=${app},app.kubernetes.io/component=migration`;
}

/** The newest migration Job of the app in the namespace, or undefined when it has none. */
export async function findMigrationJob(
  cluster: Cluster,
  namespace: string,
  app: string,
): Promise<V1Job | undefined> {
  const list = await cluster.objects.list<V1Job>(
    'batch/v1',
    'Job',
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    migrationSelector(app),
  );
  return [...list.items].sort((a, b) =>
    String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')),
  )[0];
}

/** Succeeded, failed (the Job controller gave up) or still running. */
export function jobState(job: V1Job): 'succeeded' | 'failed' | 'running' {
  const conditions = job.status?.conditions ?? [];
  if (
    conditions.some((c) => c.type === 'Complete' && c.status === 'True') ||
    (job.status?.succeeded ?? 0) > 0
  )
    return 'succeeded';
  if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'failed';
  return 'running';
}

async function readJob(cluster: Cluster, namespace: string, name: string): Promise<V1Job> {
  return (await cluster.objects.read<V1Job>({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace },
  })) as V1Job;
}

/** The last lines of the Job's newest pod, in its own words. */
async function jobLog(
  cluster: Cluster,
  namespace: string,
  job: string,
): Promise<{ pod: string; lines: string[] }> {
  const pods = await cluster.core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` });
  const pod: V1Pod | undefined = [...pods.items].sort((a, b) =>
    String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')),
  )[0];
  const name = pod?.metadata?.name;
  if (!name) return { pod: `job/${job}`, lines: ['(no pod was created: see `kubectl describe job`)'] };
  try {
    const text = await cluster.core.readNamespacedPodLog({
      name,
      namespace,
      container: 'migrate',
      tailLines: 20,
    });
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    return { pod: name, lines: lines.length > 0 ? lines : ['(the migration printed nothing)'] };
  } catch (error) {
    const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
    const why = waiting
      ? `${waiting.reason}: ${waiting.message ?? ''}`
      : error instanceof Error
        ? error.message
        : String(error);
    return { pod: name, lines: [`(no log: ${why.trim()})`] };
  }
}

export interface MigrationWaitOptions {
  readonly timeoutMs: number;
  /** @default 1000 */
  readonly intervalMs?: number;
  readonly onProgress?: (job: string, state: string) => void;
}

/** Waits for the app's newest migration Job; undefined when the app has none. */
export async function waitForMigration(
  cluster: Cluster,
  namespace: string,
  app: string,
  options: MigrationWaitOptions,
): Promise<MigrationWait | undefined> {
  const started = Date.now();
  const first = await findMigrationJob(cluster, namespace, app);
  const name = first?.metadata?.name;
  if (!first || !name) return undefined;
  let job = first;
  for (;;) {
    const state = jobState(job);
    options.onProgress?.(name, state);
    const durationMs = Date.now() - started;
    if (state === 'succeeded') return { job: name, ok: true, durationMs, diagnosis: undefined };
    const late = durationMs >= options.timeoutMs;
    if (state === 'failed' || late) {
      const log = await jobLog(cluster, namespace, name);
      const reason = job.status?.conditions?.find((c) => c.type === 'Failed')?.message;
      return {
        job: name,
        ok: false,
        durationMs,
        diagnosis: {
          kind: 'migration-failed',
          object: `job/${name}`,
          container: 'migrate',
          summary: late
            ? `the migration Job ${name} did not finish within ${Math.round(options.timeoutMs / 1000)} s`
            : `the migration Job ${name} failed${reason ? ` (${reason})` : ''}: the new pods would meet an old schema`,
          details: [`log of ${log.pod} (last lines):`, ...log.lines.map((line) => `  ${line}`)],
          fix:
            'fix the migration (run it against a copy of the database), then deploy again; `kubectl logs job/' +
            `${name}\` shows the whole log`,
          terminal: !late,
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
    job = await readJob(cluster, namespace, name);
  }
}

import { describe, type ManifestObject, record } from '../../../kube/objects.js';
import { matchesSelector, podTemplate } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

const SCALED = new Set(['Deployment', 'StatefulSet']);

function hpaFor(objects: readonly ManifestObject[], target: ManifestObject): ManifestObject | undefined {
  return objects.find((o) => {
    const ref = record(record(o.value.spec)?.scaleTargetRef);
    return o.kind === 'HorizontalPodAutoscaler' && ref?.kind === target.kind && ref?.name === target.name;
  });
}

/** Pods a PDB must keep: minAvailable, or replicas − maxUnavailable; percentages of replicas. */
function keeps(pdbSpec: Record<string, unknown>, replicas: number): number | undefined {
  const count = (value: unknown, roundUp: boolean): number | undefined => {
    if (typeof value === 'number') return value;
    const percent = typeof value === 'string' ? /^(\d+)%$/.exec(value)?.[1] : undefined;
    if (percent === undefined) return undefined;
    const exact = (Number(percent) * replicas) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  };
  // Kubernetes rounds minAvailable percentages up and maxUnavailable percentages up too.
  if (pdbSpec.minAvailable !== undefined) return count(pdbSpec.minAvailable, true);
  const maxUnavailable = count(pdbSpec.maxUnavailable, true);
  return maxUnavailable === undefined ? undefined : replicas - maxUnavailable;
}

/**
 * Replicas, autoscaler, PodDisruptionBudget and rollout strategy must agree: a PDB that keeps every
 * pod blocks node drains forever, a rollout that may neither add nor remove a pod never ends, and
 * replicas written next to an autoscaler reset it on every apply.
 */
export const rule: ManifestRule = {
  id: 'SLW-K018',
  docs: 'docs/rules/SLW-K018.md',
  title: 'Replicas, PodDisruptionBudget and strategy coherent',
  severity: 'warning',
  scope: 'manifest',
  hint: 'run 2+ replicas with a PDB of maxUnavailable: 1, a RollingUpdate with maxSurge ≥ 1, and no replicas field when an HPA scales the workload',
  run({ set }) {
    const out: Violation[] = [];
    for (const workload of set.objects.filter((o) => SCALED.has(o.kind))) {
      const spec = record(workload.value.spec) ?? {};
      const hpa = hpaFor(set.objects, workload);
      if (hpa && spec.replicas !== undefined) {
        out.push(
          violation(
            workload,
            ['spec', 'replicas'],
            `${describe(workload)} sets replicas although ${describe(hpa)} scales it: every apply resets the autoscaler`,
          ),
        );
      }
      const hpaMin = record(hpa?.value.spec)?.minReplicas;
      const replicas = hpa
        ? typeof hpaMin === 'number'
          ? hpaMin
          : 1
        : typeof spec.replicas === 'number'
          ? spec.replicas
          : 1;
      const rolling = record(record(spec.strategy)?.rollingUpdate);
      if (
        rolling &&
        (rolling.maxUnavailable === 0 || rolling.maxUnavailable === '0%') &&
        (rolling.maxSurge === 0 || rolling.maxSurge === '0%')
      ) {
        out.push(
          violation(
            workload,
            ['spec', 'strategy', 'rollingUpdate'],
            `${describe(workload)}: maxUnavailable and maxSurge are both 0, so a rollout cannot make progress`,
          ),
        );
      }
      const labels = podTemplate(workload)?.labels ?? {};
      const pdbs = set.objects.filter(
        (o) =>
          o.kind === 'PodDisruptionBudget' && matchesSelector(record(record(o.value.spec)?.selector), labels),
      );
      for (const pdb of pdbs) {
        const kept = keeps(record(pdb.value.spec) ?? {}, replicas);
        if (kept !== undefined && kept >= replicas) {
          out.push(
            violation(
              pdb,
              ['spec'],
              `${describe(pdb)} keeps ${kept} of ${replicas} replica(s) of ${describe(workload)}: no pod can ever be evicted, node drains hang`,
            ),
          );
        }
      }
      if (replicas >= 2 && pdbs.length === 0) {
        out.push(
          violation(
            workload,
            ['metadata', 'name'],
            `${describe(workload)} runs ${replicas} replicas with no PodDisruptionBudget: a node drain may evict them all at once`,
          ),
        );
      }
    }
    return out;
  },
};

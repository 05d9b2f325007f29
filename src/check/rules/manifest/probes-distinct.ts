import { describe, record } from '../../../kube/objects.js';
import { containers, podTemplates } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

const HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const;

function handler(probe: Record<string, unknown>): string {
  return JSON.stringify(HANDLERS.map((key) => probe[key] ?? null));
}

/** Seconds of failures before the kubelet acts (Kubernetes defaults: every 10 s, 3 failures). */
function patience(probe: Record<string, unknown>): number {
  const period = typeof probe.periodSeconds === 'number' ? probe.periodSeconds : 10;
  const failures = typeof probe.failureThreshold === 'number' ? probe.failureThreshold : 3;
  return period * failures;
}

/**
 * When liveness asks the same question as readiness and gives up as fast, a slow dependency gets
 * every pod restarted at once instead of merely taken out of the Service. The probes must differ:
 * another endpoint, or the same one with a liveness that waits longer than readiness.
 */
export const rule: ManifestRule = {
  id: 'SLW-K015',
  docs: 'docs/rules/SLW-K015.md',
  title: 'Liveness distinct from readiness',
  severity: 'warning',
  scope: 'manifest',
  hint: 'point liveness at a route that checks only the process (e.g. /livez), or give it a larger periodSeconds × failureThreshold than readiness',
  run({ set }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(set.objects)) {
      for (const ref of containers(pod, 'app')) {
        const liveness = record(ref.container.livenessProbe);
        const readiness = record(ref.container.readinessProbe);
        if (!liveness || !readiness || handler(liveness) !== handler(readiness)) continue;
        if (patience(liveness) > patience(readiness)) continue;
        out.push(
          violation(
            pod.object,
            [...ref.path, 'livenessProbe'],
            `container ${ref.name} of ${describe(pod.object)}: liveness probes the same endpoint as readiness and gives up as fast (${patience(liveness)} s vs ${patience(readiness)} s)`,
          ),
        );
      }
    }
    return out;
  },
};

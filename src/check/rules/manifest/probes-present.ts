import { describe } from '../../../kube/objects.js';
import { containers, podTemplates } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

// Jobs run to completion: a probe there restarts or gates nothing useful.
const SERVING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod']);

/**
 * Without readiness, traffic reaches pods that are still starting; without liveness, a hung
 * process is never restarted.
 */
export const rule: ManifestRule = {
  id: 'SLW-K014',
  docs: 'docs/rules/SLW-K014.md',
  title: 'Readiness and liveness probes present',
  severity: 'warning',
  scope: 'manifest',
  hint: 'add readinessProbe and livenessProbe (httpGet on the health routes) to every serving container',
  run({ set }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(set.objects).filter((p) => SERVING.has(p.object.kind))) {
      for (const ref of containers(pod, 'app')) {
        const missing = (['readinessProbe', 'livenessProbe'] as const).filter(
          (probe) => ref.container[probe] === undefined,
        );
        if (missing.length > 0) {
          out.push(
            violation(
              pod.object,
              ref.path,
              `container ${ref.name} of ${describe(pod.object)} has no ${missing.join(' and no ')}`,
            ),
          );
        }
      }
    }
    return out;
  },
};

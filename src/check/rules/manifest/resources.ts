import { describe, record } from '../../../kube/objects.js';
import { containers, podTemplates } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

/**
 * Requests let the scheduler place the pod and the autoscaler compute utilization; a memory limit
 * keeps one leaking pod from taking its neighbours down. A CPU limit is optional (it throttles).
 */
export const rule: ManifestRule = {
  id: 'SLW-K016',
  docs: 'docs/rules/SLW-K016.md',
  title: 'Resources set (CPU and memory requests, memory limit)',
  severity: 'warning',
  scope: 'manifest',
  hint: 'set resources.requests.cpu, resources.requests.memory and resources.limits.memory',
  run({ set }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(set.objects)) {
      for (const ref of containers(pod).filter((c) => c.role !== 'ephemeralContainers')) {
        const resources = record(ref.container.resources);
        const missing = [
          record(resources?.requests)?.cpu === undefined ? 'requests.cpu' : undefined,
          record(resources?.requests)?.memory === undefined ? 'requests.memory' : undefined,
          record(resources?.limits)?.memory === undefined ? 'limits.memory' : undefined,
        ].filter((field) => field !== undefined);
        if (missing.length === 0) continue;
        out.push(
          violation(
            pod.object,
            resources ? [...ref.path, 'resources'] : ref.path,
            `container ${ref.name} of ${describe(pod.object)} sets no ${missing.join(', ')}`,
          ),
        );
      }
    }
    return out;
  },
};

import { describe, record } from '../../../kube/objects.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule } from '../../types.js';

/**
 * Pod Security "baseline": an Unmasked /proc exposes the host's kernel settings to the container.
 * From Kubernetes 1.35 baseline allows it in a pod with its own user namespace (`hostUsers:
 * false`), where /proc shows the pod's own view; "restricted" still forbids it there.
 */
export const rule: ManifestRule = {
  id: 'SLW-K010',
  docs: 'docs/rules/SLW-K010.md',
  title: 'procMount Default',
  severity: 'error',
  scope: 'manifest',
  hint: 'remove securityContext.procMount (or set it to Default)',
  run({ set, kubeVersion }) {
    return forJudgedPods(set, 'baseline', (pod, level) => {
      const ownUsers = pod.spec.hostUsers === false && kubeVersion.minor >= 35;
      if (level !== 'restricted' && ownUsers) return [];
      return containers(pod).flatMap((ref) => {
        const procMount = record(ref.container.securityContext)?.procMount;
        if (procMount === undefined || procMount === 'Default') return [];
        return [
          violation(
            pod.object,
            [...ref.path, 'securityContext', 'procMount'],
            `container ${ref.name} of ${describe(pod.object)} sets procMount ${String(procMount)}`,
          ),
        ];
      });
    });
  },
};

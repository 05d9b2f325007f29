import { describe, record } from '../../../kube/objects.js';
import { isWindowsPod } from '../../../kube/pod-security.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule } from '../../types.js';

/**
 * Pod Security "restricted": every container sets allowPrivilegeEscalation false (no setuid gain).
 * Windows pods are exempt: the field means nothing there.
 */
export const rule: ManifestRule = {
  id: 'SLW-K003',
  docs: 'docs/rules/SLW-K003.md',
  title: 'allowPrivilegeEscalation false',
  severity: 'error',
  scope: 'manifest',
  hint: 'set securityContext.allowPrivilegeEscalation: false on every container',
  run({ set }) {
    return forJudgedPods(set, 'restricted', (pod) =>
      isWindowsPod(pod)
        ? []
        : containers(pod)
            .filter((ref) => record(ref.container.securityContext)?.allowPrivilegeEscalation !== false)
            .map((ref) =>
              violation(
                pod.object,
                [...ref.path, 'securityContext', 'allowPrivilegeEscalation'],
                `container ${ref.name} of ${describe(pod.object)} does not set allowPrivilegeEscalation: false`,
              ),
            ),
    );
  },
};

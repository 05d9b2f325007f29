import { describe, list, record } from '../../../kube/objects.js';
import { containers, podTemplates } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

/** Pod Security "restricted": drop ALL capabilities; add back only NET_BIND_SERVICE. */
export const rule: ManifestRule = {
  id: 'SLW-K004',
  docs: 'docs/rules/SLW-K004.md',
  title: 'Capabilities: drop ALL, add only NET_BIND_SERVICE',
  severity: 'error',
  scope: 'manifest',
  hint: 'set securityContext.capabilities: { drop: [ALL] } and add nothing but NET_BIND_SERVICE',
  run({ set }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(set.objects)) {
      for (const ref of containers(pod)) {
        const capabilities = record(record(ref.container.securityContext)?.capabilities);
        const path = [...ref.path, 'securityContext', 'capabilities'];
        if (!list(capabilities?.drop).includes('ALL')) {
          out.push(
            violation(
              pod.object,
              capabilities ? [...path, 'drop'] : ref.path,
              `container ${ref.name} of ${describe(pod.object)} does not drop ALL capabilities`,
            ),
          );
        }
        const added = list(capabilities?.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
        if (added.length > 0) {
          out.push(
            violation(
              pod.object,
              [...path, 'add'],
              `container ${ref.name} adds capabilities ${added.join(', ')}`,
            ),
          );
        }
      }
    }
    return out;
  },
};

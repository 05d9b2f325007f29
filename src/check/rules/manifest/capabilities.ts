import { describe, list, record } from '../../../kube/objects.js';
import { isWindowsPod } from '../../../kube/pod-security.js';
import { containers, podTemplates } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

// Pod Security "baseline": what a container may add back, the container runtimes' default set.
const BASELINE = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/**
 * Pod Security "restricted": drop ALL capabilities; add back only NET_BIND_SERVICE. A Windows pod
 * is exempt from the restricted part (Linux capabilities do not exist there) but, as at the
 * "baseline" level, may still add nothing outside the runtimes' default set.
 */
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
      const windows = isWindowsPod(pod);
      for (const ref of containers(pod)) {
        const capabilities = record(record(ref.container.securityContext)?.capabilities);
        const path = [...ref.path, 'securityContext', 'capabilities'];
        if (!windows && !list(capabilities?.drop).includes('ALL')) {
          out.push(
            violation(
              pod.object,
              capabilities ? [...path, 'drop'] : ref.path,
              `container ${ref.name} of ${describe(pod.object)} does not drop ALL capabilities`,
            ),
          );
        }
        const added = list(capabilities?.add).filter((cap) =>
          windows ? !BASELINE.has(String(cap)) : cap !== 'NET_BIND_SERVICE',
        );
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

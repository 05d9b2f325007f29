import { describe, list, record } from '../../../kube/objects.js';
import { isWindowsPod } from '../../../kube/pod-security.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
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
 * Pod Security "restricted": drop ALL capabilities; add back only NET_BIND_SERVICE. At "baseline"
 * (and for a Windows pod, exempt from the restricted part: Linux capabilities do not exist there)
 * a container may add nothing outside the runtimes' default set.
 */
export const rule: ManifestRule = {
  id: 'SLW-K004',
  docs: 'docs/rules/SLW-K004.md',
  title: 'Capabilities: drop ALL, add only NET_BIND_SERVICE',
  severity: 'error',
  scope: 'manifest',
  hint: 'set securityContext.capabilities: { drop: [ALL] } and add nothing but NET_BIND_SERVICE',
  run({ set }) {
    return forJudgedPods(set, 'baseline', (pod, level) => {
      const out: Violation[] = [];
      // Windows pods are exempt from the restricted part: Linux capabilities do not exist there.
      const restricted = level === 'restricted' && !isWindowsPod(pod);
      for (const ref of containers(pod)) {
        const capabilities = record(record(ref.container.securityContext)?.capabilities);
        const path = [...ref.path, 'securityContext', 'capabilities'];
        if (restricted && !list(capabilities?.drop).includes('ALL')) {
          out.push(
            violation(
              pod.object,
              capabilities ? [...path, 'drop'] : ref.path,
              `container ${ref.name} of ${describe(pod.object)} does not drop ALL capabilities`,
            ),
          );
        }
        const added = list(capabilities?.add).filter((cap) =>
          restricted ? cap !== 'NET_BIND_SERVICE' : !BASELINE.has(String(cap)),
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
      return out;
    });
  },
};

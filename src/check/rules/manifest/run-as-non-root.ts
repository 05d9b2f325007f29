import { describe, record } from '../../../kube/objects.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

/** Pod Security "restricted": runAsNonRoot true (pod or every container), runAsUser never 0. */
export const rule: ManifestRule = {
  id: 'SLW-K002',
  docs: 'docs/rules/SLW-K002.md',
  title: 'Pods run as non-root (runAsNonRoot, runAsUser)',
  severity: 'error',
  scope: 'manifest',
  hint: 'set securityContext.runAsNonRoot: true and a non-zero runAsUser on the pod',
  run({ set }) {
    return forJudgedPods(set, 'restricted', (pod) => {
      const out: Violation[] = [];
      const podContext = record(pod.spec.securityContext) ?? {};
      if (podContext.runAsUser === 0) {
        out.push(
          violation(
            pod.object,
            [...pod.specPath, 'securityContext', 'runAsUser'],
            `${describe(pod.object)}: the pod sets runAsUser 0 (root)`,
          ),
        );
      }
      for (const ref of containers(pod)) {
        const context = record(ref.container.securityContext) ?? {};
        if (context.runAsUser === 0) {
          out.push(
            violation(
              pod.object,
              [...ref.path, 'securityContext', 'runAsUser'],
              `container ${ref.name} sets runAsUser 0 (root)`,
            ),
          );
        }
        const nonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
        if (nonRoot !== true) {
          const path =
            context.runAsNonRoot === false ? [...ref.path, 'securityContext', 'runAsNonRoot'] : ref.path;
          out.push(
            violation(
              pod.object,
              path,
              `container ${ref.name} of ${describe(pod.object)} may run as root: runAsNonRoot is not true`,
            ),
          );
        }
      }
      return out;
    });
  },
};

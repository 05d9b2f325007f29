import { describe, record } from '../../../kube/objects.js';
import { isWindowsPod } from '../../../kube/pod-security.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

const ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

/**
 * Pod Security "restricted": a seccomp profile (RuntimeDefault or Localhost), never Unconfined.
 * "baseline" only forbids Unconfined; so does Windows, which has no seccomp: a Windows pod need
 * not set a profile.
 */
export const rule: ManifestRule = {
  id: 'SLW-K005',
  docs: 'docs/rules/SLW-K005.md',
  title: 'Seccomp profile RuntimeDefault or Localhost',
  severity: 'error',
  scope: 'manifest',
  hint: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
  run({ set }) {
    return forJudgedPods(set, 'baseline', (pod, level) => {
      const out: Violation[] = [];
      const podType = record(record(pod.spec.securityContext)?.seccompProfile)?.type;
      if (podType !== undefined && !ALLOWED.has(String(podType))) {
        out.push(
          violation(
            pod.object,
            [...pod.specPath, 'securityContext', 'seccompProfile', 'type'],
            `${describe(pod.object)}: seccomp profile ${String(podType)} is not allowed`,
          ),
        );
      }
      for (const ref of containers(pod)) {
        const type = record(record(ref.container.securityContext)?.seccompProfile)?.type;
        if (type !== undefined && !ALLOWED.has(String(type))) {
          out.push(
            violation(
              pod.object,
              [...ref.path, 'securityContext', 'seccompProfile', 'type'],
              `container ${ref.name}: seccomp profile ${String(type)} is not allowed`,
            ),
          );
        } else if (
          level === 'restricted' &&
          type === undefined &&
          podType === undefined &&
          !isWindowsPod(pod)
        ) {
          out.push(
            violation(
              pod.object,
              ref.path,
              `container ${ref.name} of ${describe(pod.object)} has no seccomp profile (neither it nor the pod sets one)`,
            ),
          );
        }
      }
      return out;
    });
  },
};

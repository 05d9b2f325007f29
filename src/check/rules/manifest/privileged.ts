import { describe, record } from '../../../kube/objects.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

/** Pod Security "baseline": no privileged containers and no Windows HostProcess containers. */
export const rule: ManifestRule = {
  id: 'SLW-K007',
  docs: 'docs/rules/SLW-K007.md',
  title: 'No privileged or HostProcess containers',
  severity: 'error',
  scope: 'manifest',
  hint: 'remove securityContext.privileged and windowsOptions.hostProcess',
  run({ set }) {
    return forJudgedPods(set, 'baseline', (pod) => {
      const out: Violation[] = [];
      if (record(record(pod.spec.securityContext)?.windowsOptions)?.hostProcess === true) {
        out.push(
          violation(
            pod.object,
            [...pod.specPath, 'securityContext', 'windowsOptions', 'hostProcess'],
            `${describe(pod.object)}: hostProcess is true`,
          ),
        );
      }
      for (const ref of containers(pod)) {
        const context = record(ref.container.securityContext);
        if (context?.privileged === true) {
          out.push(
            violation(
              pod.object,
              [...ref.path, 'securityContext', 'privileged'],
              `container ${ref.name} of ${describe(pod.object)} is privileged`,
            ),
          );
        }
        if (record(context?.windowsOptions)?.hostProcess === true) {
          out.push(
            violation(
              pod.object,
              [...ref.path, 'securityContext', 'windowsOptions', 'hostProcess'],
              `container ${ref.name} is a HostProcess container`,
            ),
          );
        }
      }
      return out;
    });
  },
};

import { describe, list, record } from '../../../kube/objects.js';
import { formatKubeVersion, safeSysctls } from '../../../kube/pod-security.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

/**
 * Pod Security "baseline": only the namespaced sysctls that cannot affect other pods on the node;
 * anything else changes the kernel for every workload there. The safe set grows with the
 * Kubernetes version (src/kube/pod-security.ts).
 */
export const rule: ManifestRule = {
  id: 'SLW-K011',
  docs: 'docs/rules/SLW-K011.md',
  title: 'Only safe sysctls',
  severity: 'error',
  scope: 'manifest',
  hint: 'set only the safe sysctls of your Kubernetes version (--kube-version), e.g. net.ipv4.ip_local_port_range',
  run({ set, kubeVersion }) {
    const safe = safeSysctls(kubeVersion);
    const version = formatKubeVersion(kubeVersion);
    return forJudgedPods(set, 'baseline', (pod) => {
      const out: Violation[] = [];
      list(record(pod.spec.securityContext)?.sysctls).forEach((item, index) => {
        const name = String(record(item)?.name);
        if (!safe.has(name)) {
          out.push(
            violation(
              pod.object,
              [...pod.specPath, 'securityContext', 'sysctls', index, 'name'],
              `${describe(pod.object)}: sysctl ${name} is not in the safe set of Kubernetes ${version}`,
              { hint: `set only the safe sysctls of Kubernetes ${version}: ${[...safe].join(', ')}` },
            ),
          );
        }
      });
      return out;
    });
  },
};

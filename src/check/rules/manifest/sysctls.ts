import { describe, list, record } from '../../../kube/objects.js';
import { podTemplates } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

// Pod Security "baseline" safe set (Kubernetes 1.29+): namespaced and harmless to other pods.
const SAFE = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/**
 * Pod Security "baseline": only the namespaced sysctls that cannot affect other pods on the node;
 * anything else changes the kernel for every workload there.
 */
export const rule: ManifestRule = {
  id: 'SLW-K011',
  docs: 'docs/rules/SLW-K011.md',
  title: 'Only safe sysctls',
  severity: 'error',
  scope: 'manifest',
  hint: `set only the safe sysctls: ${[...SAFE].join(', ')}`,
  run({ set }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(set.objects)) {
      list(record(pod.spec.securityContext)?.sysctls).forEach((item, index) => {
        const name = String(record(item)?.name);
        if (!SAFE.has(name)) {
          out.push(
            violation(
              pod.object,
              [...pod.specPath, 'securityContext', 'sysctls', index, 'name'],
              `${describe(pod.object)}: sysctl ${name} is not in the safe set`,
            ),
          );
        }
      });
    }
    return out;
  },
};

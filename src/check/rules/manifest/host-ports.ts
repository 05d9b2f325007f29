import { describe, list, record } from '../../../kube/objects.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule } from '../../types.js';

/** Pod Security "baseline": hostPort binds the node's port, bypassing Services and NetworkPolicy. */
export const rule: ManifestRule = {
  id: 'SLW-K009',
  docs: 'docs/rules/SLW-K009.md',
  title: 'No hostPorts',
  severity: 'error',
  scope: 'manifest',
  hint: 'remove hostPort; expose the pods through a Service',
  run({ set }) {
    return forJudgedPods(set, 'baseline', (pod) =>
      containers(pod).flatMap((ref) =>
        list(ref.container.ports).flatMap((item, index) => {
          const hostPort = record(item)?.hostPort;
          if (hostPort === undefined || hostPort === 0) return [];
          return [
            violation(
              pod.object,
              [...ref.path, 'ports', index, 'hostPort'],
              `container ${ref.name} of ${describe(pod.object)} binds hostPort ${String(hostPort)}`,
            ),
          ];
        }),
      ),
    );
  },
};

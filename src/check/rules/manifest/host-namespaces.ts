import { describe } from '../../../kube/objects.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule } from '../../types.js';

const FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** Pod Security "baseline" (part of restricted): no sharing of the node's network, PID or IPC namespace. */
export const rule: ManifestRule = {
  id: 'SLW-K006',
  docs: 'docs/rules/SLW-K006.md',
  title: 'No host namespaces (hostNetwork, hostPID, hostIPC)',
  severity: 'error',
  scope: 'manifest',
  hint: 'remove hostNetwork, hostPID and hostIPC (or set them to false)',
  run({ set }) {
    return forJudgedPods(set, 'baseline', (pod) =>
      FIELDS.filter((field) => pod.spec[field] === true).map((field) =>
        violation(pod.object, [...pod.specPath, field], `${describe(pod.object)}: ${field} is true`),
      ),
    );
  },
};

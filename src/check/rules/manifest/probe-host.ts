import { describe, record } from '../../../kube/objects.js';
import { judgesProbeHosts } from '../../../kube/pod-security.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const ACTIONS = ['httpGet', 'tcpSocket'] as const;

/**
 * Pod Security "baseline" (from Kubernetes 1.34): a probe or lifecycle hook with a `host` makes the
 * kubelet, from the node's network, connect wherever the manifest says: to node-local services
 * or other tenants' pods. Without it the kubelet connects to the pod's own IP.
 */
export const rule: ManifestRule = {
  id: 'SLW-K022',
  docs: 'docs/rules/SLW-K022.md',
  title: 'Probes and lifecycle hooks set no host',
  severity: 'error',
  scope: 'manifest',
  hint: "remove host from httpGet/tcpSocket probes and hooks (the pod's own IP is the default); send a Host header with httpGet.httpHeaders instead",
  run({ set, kubeVersion }) {
    if (!judgesProbeHosts(kubeVersion)) return [];
    return forJudgedPods(set, 'baseline', (pod) => {
      const out: Violation[] = [];
      for (const ref of containers(pod)) {
        const handlers: { path: (string | number)[]; handler: unknown; what: string }[] = [
          ...PROBES.map((probe) => ({ path: [probe], handler: ref.container[probe], what: probe })),
          ...HOOKS.map((hook) => ({
            path: ['lifecycle', hook],
            handler: record(ref.container.lifecycle)?.[hook],
            what: `lifecycle.${hook}`,
          })),
        ];
        for (const { path, handler, what } of handlers) {
          for (const action of ACTIONS) {
            const host = record(record(handler)?.[action])?.host;
            if (host === undefined || host === '') continue;
            out.push(
              violation(
                pod.object,
                [...ref.path, ...path, action, 'host'],
                `container ${ref.name} of ${describe(pod.object)}: ${what}.${action}.host is ${String(host)}`,
              ),
            );
          }
        }
      }
      return out;
    });
  },
};

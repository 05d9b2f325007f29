import { describe, list, record } from '../../../kube/objects.js';
import { containers, podTemplates, selects } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

/** A Service whose targetPort no container listens on (by number or name) forwards into nothing. */
export const rule: ManifestRule = {
  id: 'SLW-K020',
  docs: 'docs/rules/SLW-K020.md',
  title: 'Service targetPort matches a containerPort',
  severity: 'error',
  scope: 'manifest',
  hint: "set targetPort to the container port's name (e.g. http) or its number",
  run({ set }) {
    const out: Violation[] = [];
    const pods = podTemplates(set.objects);
    for (const service of set.objects.filter((o) => o.kind === 'Service')) {
      const spec = record(service.value.spec) ?? {};
      const selector = record(spec.selector);
      if (!selector) continue;
      const selected = pods.filter((pod) => selects(selector, pod.labels));
      // No pod selected is SLW-K019's finding; nothing to compare here.
      if (selected.length === 0) continue;
      const ports = selected.flatMap((pod) =>
        containers(pod, 'app').flatMap((ref) => list(ref.container.ports).map((p) => record(p) ?? {})),
      );
      const numbers = new Set(ports.map((p) => p.containerPort));
      const names = new Set<unknown>(ports.map((p) => p.name).filter((n) => n !== undefined));
      list(spec.ports).forEach((item, index) => {
        const port = record(item) ?? {};
        const target = port.targetPort ?? port.port;
        const ok = typeof target === 'number' ? numbers.has(target) : names.has(target);
        if (ok) return;
        const path =
          port.targetPort === undefined ? ['spec', 'ports', index] : ['spec', 'ports', index, 'targetPort'];
        out.push(
          violation(
            service,
            path,
            `${describe(service)}: targetPort ${String(target)} is no containerPort ${typeof target === 'number' ? 'number' : 'name'} of the selected pods (${[...names, ...numbers].join(', ') || 'none declared'})`,
          ),
        );
      });
    }
    return out;
  },
};

import { describe, type FieldPath, record } from '../../../kube/objects.js';
import { containers, type PodTemplate } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

const TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function checkOptions(
  pod: PodTemplate,
  options: Record<string, unknown> | undefined,
  path: FieldPath,
  who: string,
): Violation[] {
  if (!options) return [];
  const out: Violation[] = [];
  if (options.type !== undefined && options.type !== '' && !TYPES.has(String(options.type))) {
    out.push(
      violation(pod.object, [...path, 'type'], `${who}: SELinux type ${String(options.type)} is not allowed`),
    );
  }
  for (const field of ['user', 'role'] as const) {
    if (options[field] !== undefined && options[field] !== '') {
      out.push(violation(pod.object, [...path, field], `${who}: SELinux ${field} must not be set`));
    }
  }
  return out;
}

/** Pod Security "baseline": SELinux type limited to the container types; user and role never set. */
export const rule: ManifestRule = {
  id: 'SLW-K013',
  docs: 'docs/rules/SLW-K013.md',
  title: 'SELinux options restricted',
  severity: 'error',
  scope: 'manifest',
  hint: 'remove seLinuxOptions, or set only type to container_t (or container_init_t, container_kvm_t, container_engine_t)',
  run({ set }) {
    return forJudgedPods(set, 'baseline', (pod) => [
      ...checkOptions(
        pod,
        record(record(pod.spec.securityContext)?.seLinuxOptions),
        [...pod.specPath, 'securityContext', 'seLinuxOptions'],
        describe(pod.object),
      ),
      ...containers(pod).flatMap((ref) =>
        checkOptions(
          pod,
          record(record(ref.container.securityContext)?.seLinuxOptions),
          [...ref.path, 'securityContext', 'seLinuxOptions'],
          `container ${ref.name}`,
        ),
      ),
    ]);
  },
};

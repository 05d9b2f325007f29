import { describe, record } from '../../../kube/objects.js';
import { containers, podTemplates } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule } from '../../types.js';

/** Pod Security "baseline": an Unmasked /proc exposes the host's kernel settings to the container. */
export const rule: ManifestRule = {
  id: 'SLW-K010',
  docs: 'docs/rules/SLW-K010.md',
  title: 'procMount Default',
  severity: 'error',
  scope: 'manifest',
  hint: 'remove securityContext.procMount (or set it to Default)',
  run({ set }) {
    return podTemplates(set.objects).flatMap((pod) =>
      containers(pod).flatMap((ref) => {
        const procMount = record(ref.container.securityContext)?.procMount;
        if (procMount === undefined || procMount === 'Default') return [];
        return [
          violation(
            pod.object,
            [...ref.path, 'securityContext', 'procMount'],
            `container ${ref.name} of ${describe(pod.object)} sets procMount ${String(procMount)}`,
          ),
        ];
      }),
    );
  },
};

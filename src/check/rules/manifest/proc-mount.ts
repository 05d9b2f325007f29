import { describe, record } from '../../../kube/objects.js';
import { containers, podTemplates, violation } from '../../../kube/pods.js';
import type { ManifestRule } from '../../types.js';

/** Pod Security "baseline": an Unmasked /proc exposes the host's kernel settings to the container. */
export const rule: ManifestRule = {
  id: 'SLW-K010',
  title: 'procMount Default',
  severity: 'error',
  scope: 'manifest',
  hint: 'remove securityContext.procMount (or set it to Default)',
  check({ set }) {
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

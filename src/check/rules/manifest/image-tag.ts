import { describe } from '../../../kube/objects.js';
import { containers, podTemplates } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

/** With latest (or no tag), two pods of one Deployment may run different code and a rollback is a guess. */
export const rule: ManifestRule = {
  id: 'SLW-K017',
  docs: 'docs/rules/SLW-K017.md',
  title: 'Image tag pinned, not latest',
  severity: 'error',
  scope: 'manifest',
  hint: 'use an exact tag (the version or commit), e.g. registry/app:1.4.2, optionally with @sha256:<digest>',
  run({ set }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(set.objects)) {
      for (const ref of containers(pod)) {
        const image = ref.container.image;
        const path = [...ref.path, 'image'];
        if (typeof image !== 'string' || image === '') {
          out.push(
            violation(
              pod.object,
              ref.path,
              `container ${ref.name} of ${describe(pod.object)} names no image`,
            ),
          );
          continue;
        }
        if (image.includes('@sha256:')) continue;
        const slash = image.lastIndexOf('/');
        const colon = image.indexOf(':', slash + 1);
        const tag = colon >= 0 ? image.slice(colon + 1) : '';
        if (tag === '' || tag === 'latest') {
          out.push(
            violation(
              pod.object,
              path,
              `container ${ref.name} of ${describe(pod.object)} runs ${image}${tag === '' ? ' (no tag: latest)' : ''}`,
            ),
          );
        }
      }
    }
    return out;
  },
};

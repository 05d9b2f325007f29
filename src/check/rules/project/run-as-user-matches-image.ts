import { imageFacts, primaryDockerfile } from '../../../dockerfile/image.js';
import { describe, record } from '../../../kube/objects.js';
import { appContainers } from '../../manifest/app-containers.js';
import { violation } from '../../manifest/violation.js';
import type { ProjectRule, Violation } from '../../types.js';

/**
 * The image's files are owned by and readable for its USER; a pod that runs as another uid may be
 * unable to read its own code, and the two drift apart silently when only one is edited.
 */
export const rule: ProjectRule = {
  id: 'SLW-P001',
  docs: 'docs/rules/SLW-P001.md',
  title: "runAsUser equals the image's numeric USER",
  severity: 'error',
  scope: 'project',
  hint: 'set securityContext.runAsUser/runAsGroup to the uid:gid of the final USER in the Dockerfile (10001:10001 by default)',
  run({ dockerfiles, manifests, model }) {
    const dockerfile = primaryDockerfile(dockerfiles);
    const user = dockerfile ? imageFacts(dockerfile).user : undefined;
    if (!dockerfile || !user) return [];
    const out: Violation[] = [];
    for (const set of manifests) {
      for (const ref of appContainers(set, model)) {
        const pod = record(ref.pod.spec.securityContext) ?? {};
        const own = record(ref.container.securityContext) ?? {};
        const checks = [
          { field: 'runAsUser', expected: user.uid },
          { field: 'runAsGroup', expected: user.gid },
        ];
        for (const { field, expected } of checks) {
          const value = own[field] ?? pod[field];
          if (value === undefined || expected === undefined || value === expected) continue;
          const path =
            own[field] !== undefined
              ? [...ref.path, 'securityContext', field]
              : [...ref.pod.specPath, 'securityContext', field];
          out.push(
            violation(
              ref.pod.object,
              path,
              `container ${ref.name} of ${describe(ref.pod.object)} runs with ${field} ${String(value)}, the image's USER is ${expected} (${dockerfile.path}:${user.line})`,
            ),
          );
        }
      }
    }
    return out;
  },
};

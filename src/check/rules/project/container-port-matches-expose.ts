import { imageFacts, primaryDockerfile } from '../../../dockerfile/image.js';
import { describe, list, record } from '../../../kube/objects.js';
import { appContainers } from '../../manifest/app-containers.js';
import { violation } from '../../manifest/violation.js';
import type { ProjectRule, Violation } from '../../types.js';

/** The manifests and the image must agree on the app's port, or probes and the Service miss it. */
export const rule: ProjectRule = {
  id: 'SLW-P002',
  docs: 'docs/rules/SLW-P002.md',
  title: 'containerPort equals EXPOSE',
  severity: 'error',
  scope: 'project',
  hint: "make containerPort the port the Dockerfile EXPOSEs (the app's [tool.slipway] port)",
  run({ dockerfiles, manifests, model }) {
    const dockerfile = primaryDockerfile(dockerfiles);
    const exposed = dockerfile ? imageFacts(dockerfile).exposed : undefined;
    if (!dockerfile || !exposed) return [];
    const out: Violation[] = [];
    for (const set of manifests) {
      for (const ref of appContainers(set, model)) {
        const ports = list(ref.container.ports).map((p) => record(p)?.containerPort);
        if (
          ports.length === 0 ||
          ports.some((port) => typeof port === 'number' && exposed.ports.includes(port))
        )
          continue;
        out.push(
          violation(
            ref.pod.object,
            [...ref.path, 'ports'],
            `container ${ref.name} of ${describe(ref.pod.object)} declares port ${ports.join(', ')}, the image EXPOSEs ${exposed.ports.join(', ')} (${dockerfile.path}:${exposed.line})`,
          ),
        );
      }
    }
    return out;
  },
};

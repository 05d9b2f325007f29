import { finalStage, inheritedSteps } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/**
 * Kubernetes' runAsNonRoot can only verify a numeric user: with `USER app` the kubelet cannot tell
 * whether app is root, and refuses to start the pod.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D002',
  title: 'Final USER numeric and non-root',
  severity: 'error',
  scope: 'dockerfile',
  hint: 'end the final stage with a numeric non-root user, e.g. USER 10001:10001',
  check({ dockerfile }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const users = inheritedSteps(dockerfile, stage).filter((step) => step.keyword === 'USER');
    const last = users[users.length - 1];
    if (!last)
      return [at(dockerfile, stage.line, 'the final stage sets no USER, so the container runs as root')];
    const [user = '', group] = last.args.trim().split(':');
    if (!/^\d+$/.test(user)) {
      return [
        at(
          dockerfile,
          last.line,
          `USER ${last.args.trim()} is a name; Kubernetes runAsNonRoot needs a numeric uid`,
        ),
      ];
    }
    if (Number(user) === 0) return [at(dockerfile, last.line, 'USER 0 runs the container as root')];
    if (group !== undefined && !/^\d+$/.test(group)) {
      return [
        at(
          dockerfile,
          last.line,
          `USER ${last.args.trim()}: the group ${group} is a name, not a numeric gid`,
        ),
      ];
    }
    return [];
  },
};

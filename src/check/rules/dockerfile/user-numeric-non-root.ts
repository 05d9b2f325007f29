import { finalStage, inheritedSteps } from '../../../dockerfile/facts.js';
import { readUser, runsAsRoot } from '../../../policy/user.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

// The manifests slipway writes run the pod as a numeric non-root user under Pod Security
// "restricted" whatever the image says: an image made to run as root meets a uid it was not made
// for (files it cannot write, a port below 1024 it cannot bind). Both ways out, named.
const ROOT_FIXES =
  'two fixes: end the final stage with USER 10001:10001 (a numeric non-root user; what the app writes goes to /tmp or a volume), ' +
  'or let slipway write its Dockerfile instead of yours: slipway init --force';

function asRoot(found: Violation): Violation {
  return {
    ...found,
    message: `${found.message}, while the manifests run the pod as a numeric non-root user (Pod Security restricted)`,
    hint: ROOT_FIXES,
  };
}

/**
 * Kubernetes' runAsNonRoot can only verify a numeric user: with `USER app` the kubelet cannot tell
 * whether app is root, and refuses to start the pod.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D002',
  docs: 'docs/rules/SLW-D002.md',
  title: 'Final USER numeric and non-root',
  severity: 'error',
  scope: 'dockerfile',
  hint: 'end the final stage with a numeric non-root user, e.g. USER 10001:10001',
  run({ dockerfile }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const users = inheritedSteps(dockerfile, stage).filter((step) => step.keyword === 'USER');
    const last = users[users.length - 1];
    if (!last)
      return [
        asRoot(at(dockerfile, stage.line, 'the final stage sets no USER, so the container runs as root')),
      ];
    const spec = last.args.trim();
    const verdict = readUser(spec);
    if (runsAsRoot(verdict))
      return [asRoot(at(dockerfile, last.line, `USER ${spec} runs the container as root`))];
    switch (verdict.kind) {
      case 'name':
        return [
          at(dockerfile, last.line, `USER ${spec} is a name; Kubernetes runAsNonRoot needs a numeric uid`),
        ];
      case 'group-name':
        return [
          at(dockerfile, last.line, `USER ${spec}: the group ${verdict.group} is a name, not a numeric gid`),
        ];
      case 'numeric':
        return [];
    }
    return [];
  },
};

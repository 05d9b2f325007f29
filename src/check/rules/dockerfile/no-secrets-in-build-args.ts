import { hasUrlCredentials, isPlaceholder, isSecretName } from '../../../secrets/names.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

/**
 * ARG and ENV values are stored in the image (its config and `docker history`): anyone who can
 * pull the image reads them. Build secrets belong in RUN --mount=type=secret, runtime ones in the
 * orchestrator's Secret.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D008',
  docs: 'docs/rules/SLW-D008.md',
  title: 'No secrets in ARG or ENV',
  severity: 'error',
  scope: 'dockerfile',
  hint: 'pass build secrets with RUN --mount=type=secret and runtime secrets from a Kubernetes Secret, never ARG/ENV',
  run({ dockerfile }) {
    const out: Violation[] = [];
    const steps = [...dockerfile.preamble, ...dockerfile.stages.flatMap((stage) => stage.instructions)];
    for (const step of steps) {
      if (step.keyword !== 'ARG' && step.keyword !== 'ENV') continue;
      for (const { name, value } of step.properties) {
        if (hasUrlCredentials(value ?? '')) {
          out.push(at(dockerfile, step.line, `${step.keyword} ${name} holds a URL with a password in it`));
        } else if (isSecretName(name) && (step.keyword === 'ARG' || !isPlaceholder(value ?? ''))) {
          // An ARG is a secret channel even without a default: --build-arg values land in the history.
          out.push(
            at(
              dockerfile,
              step.line,
              `${step.keyword} ${name} looks like a secret and is stored in the image`,
            ),
          );
        }
      }
    }
    return out;
  },
};

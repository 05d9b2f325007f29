import { runCommands } from '../../dockerfile/installs.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/**
 * hadolint DL3027: apt is the interactive front end; its output and behaviour may change between
 * releases and it warns that it has no stable command-line interface. apt-get is the one for scripts.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D019',
  docs: 'docs/rules/SLW-D019.md',
  title: 'apt-get, not apt, in RUN',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'use apt-get (apt-get update, apt-get install -y --no-install-recommends ...) or apt-cache',
  run({ dockerfile }) {
    return runCommands(dockerfile)
      .filter(({ words }) => words[0]?.split('/').pop() === 'apt')
      .map(({ step, words }) =>
        at(dockerfile, step.line, `\`${words.join(' ')}\` uses apt, meant for terminals`),
      );
  },
};

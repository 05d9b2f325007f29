import { pipCacheHandled, pipInstalls } from '../../dockerfile/installs.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/**
 * hadolint DL3042: pip keeps every wheel it downloads in ~/.cache/pip, which then ships in the
 * layer. --no-cache-dir, PIP_NO_CACHE_DIR, or a cache mount on the pip cache keep it out.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D017',
  docs: 'docs/rules/SLW-D017.md',
  title: 'pip install keeps no cache in the layer',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'pip install --no-cache-dir ..., or ENV PIP_NO_CACHE_DIR=1, or RUN --mount=type=cache,target=/root/.cache/pip',
  run({ dockerfile }) {
    return pipInstalls(dockerfile)
      .filter((command) => !pipCacheHandled(dockerfile, command))
      .map((command) =>
        at(dockerfile, command.step.line, `\`${command.words.join(' ')}\` leaves pip's cache in the layer`),
      );
  },
};

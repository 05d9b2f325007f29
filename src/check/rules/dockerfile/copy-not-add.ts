import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/** ADD also fetches URLs and unpacks archives: what lands in the image is less obvious than COPY. */
export const rule: DockerfileRule = {
  id: 'SLW-D004',
  docs: 'docs/rules/SLW-D004.md',
  title: 'COPY, not ADD',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'use COPY for files from the build context; download with a checksum (ADD --checksum) only when needed',
  run({ dockerfile }) {
    return dockerfile.stages.flatMap((stage) =>
      stage.instructions
        .filter((step) => step.keyword === 'ADD')
        // A remote file with a pinned checksum is ADD's one use that COPY cannot do.
        .filter(
          (step) => !(step.flags.some((flag) => flag.name === 'checksum') && /^https?:\/\//.test(step.args)),
        )
        .map((step) => at(dockerfile, step.line, `ADD ${step.args.trim()}: use COPY for local files`)),
    );
  },
};

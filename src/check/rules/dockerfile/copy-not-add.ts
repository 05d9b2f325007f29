import { copyArguments } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import { REMOTE } from './add-url-checksum.js';

// ADD unpacks a local archive into the destination: the one local use that COPY cannot do.
const ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst)|tgz|tbz2?|txz)$/;

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
        // A download is SLW-D021's (with a checksum, ADD's one use that COPY cannot do).
        .filter((step) =>
          (copyArguments(step)?.sources ?? []).some(
            (source) => !REMOTE.test(source) && !ARCHIVE.test(source),
          ),
        )
        .map((step) => at(dockerfile, step.line, `ADD ${step.args.trim()}: use COPY for local files`)),
    );
  },
};

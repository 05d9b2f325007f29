import { copyArguments } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

export const REMOTE = /^(https?|git|ssh):\/\/|^git@/;

/**
 * ADD of a URL downloads whatever the server sends that day, unverified: a compromised or changed
 * file goes into the image unnoticed. ADD --checksum=sha256:... (BuildKit) verifies it.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D021',
  docs: 'docs/rules/SLW-D021.md',
  title: 'ADD of a URL verifies a checksum',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'ADD --checksum=sha256:<digest> <url> <dest>, or download in a RUN that checks the hash',
  run({ dockerfile }) {
    return dockerfile.stages.flatMap((stage) =>
      stage.instructions
        .filter((step) => step.keyword === 'ADD' && !step.flags.some((flag) => flag.name === 'checksum'))
        .flatMap((step) =>
          (copyArguments(step)?.sources ?? [])
            .filter((source) => REMOTE.test(source))
            .map((source) => at(dockerfile, step.line, `ADD ${source} downloads without a checksum`)),
        ),
    );
  },
};

import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/** A relative WORKDIR depends on every earlier WORKDIR (and the base image's): easy to misread. */
export const rule: DockerfileRule = {
  id: 'SLW-D012',
  docs: 'docs/rules/SLW-D012.md',
  title: 'Absolute WORKDIR',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'use an absolute path, e.g. WORKDIR /app',
  run({ dockerfile }) {
    return dockerfile.stages.flatMap((stage) =>
      stage.instructions
        .filter((step) => step.keyword === 'WORKDIR')
        .filter((step) => {
          const path = step.args.trim().replace(/^["']|["']$/g, '');
          // A variable may expand to an absolute path; it cannot be judged without build args.
          return !path.startsWith('/') && !path.startsWith('$');
        })
        .map((step) => at(dockerfile, step.line, `WORKDIR ${step.args.trim()} is relative`)),
    );
  },
};

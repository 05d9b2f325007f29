import { copyArguments, lineage } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

/**
 * hadolint DL3045: a relative COPY destination lands in the base image's working directory, which
 * the Dockerfile does not say and the base image may change. A WORKDIR before it (in the stage, or
 * a stage it is built on) makes it explicit.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D018',
  docs: 'docs/rules/SLW-D018.md',
  title: 'COPY to a relative path only after WORKDIR',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'set WORKDIR /app before the COPY, or copy to an absolute path',
  run({ dockerfile }) {
    const out: Violation[] = [];
    for (const stage of dockerfile.stages) {
      const inherited = lineage(dockerfile, stage)
        .slice(0, -1)
        .some((s) => s.instructions.some((step) => step.keyword === 'WORKDIR'));
      let workdir = inherited;
      for (const step of stage.instructions) {
        if (step.keyword === 'WORKDIR') workdir = true;
        if (workdir || (step.keyword !== 'COPY' && step.keyword !== 'ADD')) continue;
        const destination = copyArguments(step)?.destination.replace(/^["']|["']$/g, '');
        if (destination === undefined || /^([/$]|[A-Za-z]:[\\/])/.test(destination)) continue;
        out.push(
          at(
            dockerfile,
            step.line,
            `${step.keyword} to ${destination}, relative, with no WORKDIR set before it`,
          ),
        );
      }
    }
    return out;
  },
};

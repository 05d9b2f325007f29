import { copyArguments } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

const KNOWN = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);
// Instructions BuildKit refuses without an argument.
const NEEDS_ARGUMENT = new Set([
  'ARG',
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'LABEL',
  'RUN',
  'USER',
  'WORKDIR',
]);

/**
 * A Dockerfile BuildKit refuses fails the build late, in CI, with a terse parse error; caught here
 * it is a finding on its line: no FROM at all, an instruction other than ARG before the first FROM,
 * an unknown instruction, a COPY or ADD with one argument (`COPY /app`), a FROM without an image,
 * an instruction that needs arguments without any.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D014',
  docs: 'docs/rules/SLW-D014.md',
  title: 'Instructions well-formed',
  severity: 'error',
  scope: 'dockerfile',
  hint: 'give each instruction its arguments: COPY <src>... <dest>, FROM <image> [AS <name>], ...',
  run({ dockerfile }) {
    const out: Violation[] = [];
    for (const step of dockerfile.preamble.filter((s) => s.keyword !== 'ARG')) {
      out.push(at(dockerfile, step.line, `${step.keyword} before the first FROM: only ARG may stand there`));
    }
    if (dockerfile.stages.length === 0) {
      out.push(at(dockerfile, 1, 'no FROM: the Dockerfile has no build stage'));
    }
    for (const stage of dockerfile.stages) {
      if (stage.image === '' && !stage.unresolved)
        out.push(at(dockerfile, stage.line, 'FROM names no image'));
      for (const step of stage.instructions) {
        const empty = step.args.trim() === '' && step.exec === undefined;
        if (!KNOWN.has(step.keyword)) {
          out.push(at(dockerfile, step.line, `unknown instruction ${step.keyword}`));
        } else if ((step.keyword === 'COPY' || step.keyword === 'ADD') && !copyArguments(step)) {
          out.push(
            at(dockerfile, step.line, `${step.keyword} ${step.args.trim()} needs a source and a destination`),
          );
        } else if (NEEDS_ARGUMENT.has(step.keyword) && empty) {
          out.push(at(dockerfile, step.line, `${step.keyword} has no arguments`));
        }
      }
    }
    return out;
  },
};

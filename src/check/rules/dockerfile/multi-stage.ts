import { commandText, finalStage, inheritedSteps } from '../../../dockerfile/facts.js';
import { simpleCommands } from '../../../dockerfile/shell.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

const BUILD_TOOLS =
  /^(gcc|g\+\+|gcc-\d+|clang|make|cmake|build-essential|pkg-config|git|cargo|rustc|[a-z0-9.+-]+-dev)$/;
const INSTALLERS = new Set(['apt-get', 'apt', 'apk', 'dnf', 'yum', 'microdnf']);

/**
 * Compilers, headers and installers in the final image add size and attack surface; a builder
 * stage keeps them out of what runs.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D005',
  docs: 'docs/rules/SLW-D005.md',
  title: 'Multi-stage build, no build tools in the final stage',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'build in a builder stage and COPY --from it only the virtual environment (and sources) into a clean final stage',
  run({ dockerfile }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const out: Violation[] = [];
    // The image is the final stage and every stage it is built FROM: what they copy from other
    // stages, and what they install, is in it.
    const steps = inheritedSteps(dockerfile, stage);
    const copiesFromStage = steps.some(
      (step) => step.keyword === 'COPY' && step.flags.some((flag) => flag.name === 'from'),
    );
    // `FROM ${TARGET}` without a default picks one of the earlier stages at build time.
    const picksStage = stage.unresolved && dockerfile.stages.length > 1;
    if (!picksStage && (dockerfile.stages.length < 2 || !copiesFromStage)) {
      out.push(
        at(dockerfile, stage.line, 'single-stage build: everything used to build the app ships in the image'),
      );
    }
    for (const step of steps) {
      if (step.keyword === 'RUN') {
        for (const words of simpleCommands(commandText(step))) {
          if (!INSTALLERS.has(words[0] ?? '') || !(words.includes('install') || words.includes('add')))
            continue;
          const tools = words.filter((word) => BUILD_TOOLS.test(word));
          if (tools.length > 0) {
            out.push(at(dockerfile, step.line, `the final stage installs build tools: ${tools.join(', ')}`));
          }
        }
      }
      if (step.keyword === 'COPY' && step.flags.some((flag) => flag.name === 'from')) {
        const sources = step.args.trim().split(/\s+/).slice(0, -1);
        if (sources.some((source) => /(^|\/)uvx?$/.test(source))) {
          out.push(
            at(
              dockerfile,
              step.line,
              'the final stage copies the uv binary: the running app does not need it',
            ),
          );
        }
      }
    }
    return out;
  },
};

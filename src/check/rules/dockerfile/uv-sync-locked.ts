import { commandText } from '../../../dockerfile/facts.js';
import { commandsOf } from '../../../dockerfile/shell.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/**
 * Without --locked/--frozen, uv may re-resolve and install versions that were never tested;
 * without --no-dev, test and lint tools ship in the image.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D006',
  docs: 'docs/rules/SLW-D006.md',
  title: 'uv sync with --locked or --frozen, and --no-dev',
  severity: 'error',
  scope: 'dockerfile',
  hint: 'run uv sync --locked --no-dev (or --frozen when pyproject.toml is not in the build context yet)',
  run({ dockerfile }) {
    return dockerfile.stages.flatMap((stage) =>
      stage.instructions
        .filter((step) => step.keyword === 'RUN')
        .flatMap((step) =>
          commandsOf(commandText(step), 'uv', 'sync').flatMap((words) => {
            const missing: string[] = [];
            if (!words.includes('--locked') && !words.includes('--frozen'))
              missing.push('--locked (or --frozen)');
            if (!words.includes('--no-dev') && !words.includes('--only-group')) missing.push('--no-dev');
            if (missing.length === 0) return [];
            return [at(dockerfile, step.line, `\`${words.join(' ')}\` lacks ${missing.join(' and ')}`)];
          }),
        ),
    );
  },
};

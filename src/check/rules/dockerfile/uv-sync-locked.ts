import { commandText, environmentAt, truthy } from '../../../dockerfile/facts.js';
import { uvCommands } from '../../dockerfile/installs.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/** `--flag value` or `--flag=value`: every value the command gives the flag. */
function values(words: readonly string[], flag: string): string[] {
  return words.flatMap((word, i) => {
    if (word === flag) return words[i + 1] !== undefined ? [words[i + 1] as string] : [];
    return word.startsWith(`${flag}=`) ? [word.slice(flag.length + 1)] : [];
  });
}

/**
 * Whether the dev group stays out: `--no-dev`, `--no-group dev`, `--only-group X` (but dev),
 * `--no-default-groups` without `--group dev`, or UV_NO_DEV in the environment; `--all-groups`,
 * `--dev`, `--only-dev` and `--group dev` put it back.
 */
function excludesDev(words: readonly string[], env: ReadonlyMap<string, string>): boolean {
  const groups = values(words, '--group');
  const puts = ['--all-groups', '--dev', '--only-dev'];
  if (puts.some((flag) => words.includes(flag)) || groups.includes('dev')) return false;
  const only = values(words, '--only-group');
  if (only.length > 0) return !only.includes('dev');
  return (
    words.includes('--no-dev') ||
    values(words, '--no-group').includes('dev') ||
    words.includes('--no-default-groups') ||
    truthy(env.get('UV_NO_DEV'))
  );
}

/**
 * Without --locked/--frozen, uv may re-resolve and install versions that were never tested;
 * without --no-dev, test and lint tools ship in the image. What the command says may also be said
 * by the environment uv reads (UV_LOCKED, UV_FROZEN, UV_NO_DEV) or by the group flags.
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
        .flatMap((step) => {
          const env = environmentAt(dockerfile, stage, step);
          return uvCommands(commandText(step), 'sync').flatMap((words) => {
            const missing: string[] = [];
            const locked =
              words.includes('--locked') ||
              words.includes('--frozen') ||
              truthy(env.get('UV_LOCKED')) ||
              truthy(env.get('UV_FROZEN'));
            if (!locked) missing.push('--locked (or --frozen)');
            if (!excludesDev(words, env)) missing.push('--no-dev');
            if (missing.length === 0) return [];
            return [at(dockerfile, step.line, `\`${words.join(' ')}\` lacks ${missing.join(' and ')}`)];
          });
        }),
    );
  },
};

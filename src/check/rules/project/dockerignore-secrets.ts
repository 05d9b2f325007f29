import { isIgnored, parseDockerignore } from '../../dockerignore.js';
import type { ProjectRule } from '../../types.js';

const MUST_IGNORE = ['.env', '.venv', '.git'];

/**
 * `COPY . .` sends whatever the context holds: a .env with real secrets, a host .venv that
 * shadows the image's, the whole git history. The .dockerignore is what keeps them out.
 */
export const rule: ProjectRule = {
  id: 'SLW-P005',
  docs: 'docs/rules/SLW-P005.md',
  title: '.dockerignore keeps .env, .venv and .git out',
  severity: 'error',
  scope: 'project',
  hint: 'add **/.env, **/.env.*, **/.venv and **/.git to .dockerignore (slipway init writes one)',
  run({ dockerfiles, dockerignore }) {
    if (dockerfiles.length === 0) return [];
    if (!dockerignore) {
      return [
        {
          message: 'the project has no .dockerignore: .env, .venv and .git go into the build context',
          location: { file: '.dockerignore' },
        },
      ];
    }
    const patterns = parseDockerignore(dockerignore.text);
    const kept = MUST_IGNORE.filter((path) => !isIgnored(patterns, path));
    if (kept.length === 0) return [];
    return [
      {
        message: `${dockerignore.path} lets ${kept.join(', ')} into the build context`,
        location: { file: dockerignore.path, line: 1 },
      },
    ];
  },
};

import type { ProjectRule } from '../../types.js';

/**
 * `uv sync --locked` fails the image build on a stale lock; better to say so before building, and
 * to say it in the same report as everything else.
 */
export const rule: ProjectRule = {
  id: 'SLW-P006',
  docs: 'docs/rules/SLW-P006.md',
  title: 'uv.lock is fresh',
  severity: 'error',
  scope: 'project',
  hint: 'run `uv lock` and commit uv.lock',
  run({ lock }) {
    if (!lock || lock.fresh) return [];
    return [
      {
        message: `${lock.path} does not match pyproject.toml${lock.detail ? `: ${lock.detail}` : ''}`,
        location: { file: lock.path, line: 1 },
      },
    ];
  },
};

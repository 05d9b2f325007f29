import type { ProjectModel } from '../analyze/model.js';

/**
 * What stays out of the build context: local environments, caches, secrets, tests and tooling.
 * A smaller context uploads faster, and a file that is not sent cannot leak into a layer.
 * Patterns start with `**` so that they also hold inside workspace members.
 */
export function dockerignore(model: ProjectModel): string {
  const scope = model.workspace
    ? [
        '# Applies when building with -f <member>/Dockerfile from the workspace root: BuildKit reads',
        "# <Dockerfile>.dockerignore next to the Dockerfile before the context root's .dockerignore.",
      ]
    : [];
  return [
    ...scope,
    '# Local virtual environments: the image builds its own from uv.lock.',
    '**/.venv',
    '**/venv',
    '# Version control and editor state.',
    '**/.git',
    '**/.gitignore',
    '**/.idea',
    '**/.vscode',
    '**/.DS_Store',
    '# Caches and build output.',
    '**/__pycache__',
    '**/*.py[cod]',
    '**/.pytest_cache',
    '**/.mypy_cache',
    '**/.ruff_cache',
    '**/.tox',
    '**/.nox',
    '**/.coverage',
    '**/htmlcov',
    '**/build',
    '**/dist',
    '**/*.egg-info',
    '**/node_modules',
    '# Environment files hold real secrets; the container gets its settings from Kubernetes.',
    '**/.env',
    '**/.env.*',
    '**/*.env',
    '# Tests and local tooling are not part of the running service.',
    '**/tests',
    '**/test',
    '**/.pre-commit-config.yaml',
    '**/docker-compose*.yml',
    '**/compose*.yaml',
    '# Deployment files and the Dockerfile itself: changing them needs no new image layer.',
    '**/deploy',
    '**/Dockerfile',
    '**/Dockerfile.dockerignore',
    '**/.dockerignore',
    '# Local data files (e.g. SQLite databases written during development).',
    '**/*.db',
    '**/*.sqlite3',
    ...kept(model),
    '',
  ].join('\n');
}

/** Files the app opens at run time stay in the context even where a pattern above drops them. */
function kept(model: ProjectModel): string[] {
  const files = model.runtimeFiles ?? [];
  if (files.length === 0) return [];
  const prefix = model.workspace ? `${model.workspace.member.replace(/^\.\/|\/+$/g, '')}/` : '';
  return [
    '# Read by the app at run time (the Dockerfile copies them): kept whatever the patterns above say.',
    ...files.flatMap((f) => [`!${prefix}${f.path}`, `!${prefix}${f.path}/**`]),
  ];
}

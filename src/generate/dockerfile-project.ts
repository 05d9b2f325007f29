import type { ProjectModel } from '../analyze/model.js';

/**
 * Packaged projects and workspace members: the dependencies' environment and the project's own
 * files reach the final image as two layers.
 */

/** The environment's files before the project's sync: what the sync adds is the project's. */
const DEPS_FILES = '/tmp/deps-files';
export const LIST_FILES = `find /app/.venv ! -type d | sort > ${DEPS_FILES}`;

/**
 * The project builds in a stage of its own, on the dependencies' stage, so that the final image
 * takes the two as two layers: a source edit rebuilds, exports and pushes the project's few
 * kilobytes, and the environment layer stays as it was, cached here and on every node.
 */
export const PROJECT_STAGE = [
  "# The project, in a stage of its own: the final stage takes the dependencies' environment from",
  "# the builder and only the project's files from here, as their own small layer.",
  'FROM builder AS project',
  '# bash with pipefail: a failure anywhere in the listing pipes below fails the build.',
  'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
];

/** Files new since DEPS_FILES was listed, or rewritten after it (by mtime), copied to /project. */
export const STAGE_PROJECT_FILES = [
  '&& mkdir /project',
  `&& { find /app/.venv ! -type d | sort | comm -13 ${DEPS_FILES} -; find /app/.venv -newer ${DEPS_FILES} ! -type d; }`,
  "| sort -u | xargs -d '\\n' -r cp -a --parents -t /project",
];

/** The final stage's copy of the project's files (packaged projects and workspace members). */
export function projectCopy(model: ProjectModel): string[] {
  if (!model.packaged && !model.workspace) return [];
  return [
    "# The project's own files (what its install added to the environment), a layer of their own.",
    'COPY --from=project --chown=0:0 /project/ /',
  ];
}

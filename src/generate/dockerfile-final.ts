import type { ProjectModel } from '../analyze/model.js';
import { type BuildLayout, execForm } from './common.js';
import { DISTROLESS_IMAGE, HARDENED_REPOSITORY, STDLIB_ZIP } from './dockerfile-bases.js';
import { projectCopy } from './dockerfile-project.js';
import {
  appCopies,
  arg,
  cmdComment,
  healthcheck,
  labels,
  runtimeEnv,
  uvicornCommand,
} from './dockerfile-run.js';

/**
 * The final stage on a base without a shell (distroless, hardened): no RUN can work there, so
 * every file arrives by COPY with its owner set, the user is numeric (no /etc/passwd entry is
 * needed, none is written), and HEALTHCHECK, ENTRYPOINT and CMD are exec forms.
 */
export function shelllessStage(model: ProjectModel, layout: BuildLayout): string[] {
  const { uid, gid, port } = model.config;
  const from =
    model.config.base === 'distroless'
      ? [
          '# Distroless: Python, its standard library, CA certificates and time zones; no shell, no',
          '# package manager, no setuid programs. Nothing here can run a RUN, so this stage has none.',
          `FROM ${DISTROLESS_IMAGE}`,
        ]
      : [
          '# Docker Hardened Image: Python and its runtime libraries, non-root by default; no shell, no',
          '# package manager. Nothing here can run a RUN, so this stage has none.',
          `FROM ${HARDENED_REPOSITORY}:${arg('PYTHON_VERSION')}`,
        ];
  return [
    ...from,
    `WORKDIR ${layout.appDir}`,
    '# Owned by root (0:0) and only readable by the runtime user: a compromised app cannot rewrite its',
    '# own code or dependencies. The builder made the venv for the interpreter path this image has.',
    'COPY --from=builder --chown=0:0 /app/.venv /app/.venv',
    ...projectCopy(model),
    ...(model.config.base === 'distroless'
      ? [
          "# The standard library's byte code, compiled in the builder from this image's own sources, in",
          `# the zip Python looks in first (${STDLIB_ZIP}): a start without compiling ~190 modules.`,
          `COPY --from=builder --chown=0:0 /stdlib/stdlib.zip ${STDLIB_ZIP}`,
        ]
      : []),
    ...appCopies(model, layout),
    '',
    ...runtimeEnv(model, layout),
    '',
    ...labels(model),
    `EXPOSE ${port}`,
    ...healthcheck(model, 'python: this image has no curl'),
    '# Numeric, so that the kubelet can check runAsNonRoot without reading /etc/passwd (which has no',
    '# entry for it: the process needs none).',
    `USER ${uid}:${gid}`,
    "# The base image's ENTRYPOINT is python itself: cleared, so that CMD alone is the command.",
    'ENTRYPOINT []',
    ...cmdComment(model),
    `CMD ${execForm(uvicornCommand(model))}`,
    '',
  ];
}

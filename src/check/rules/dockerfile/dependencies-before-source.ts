import { commandText, mounts, type Step } from '../../../dockerfile/facts.js';
import { commandsOf } from '../../../dockerfile/shell.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

// What a dependency-only install may read; copying anything else first busts its cache on every edit.
const DEPENDENCY_FILES = /^(\.\/)?(pyproject\.toml|uv\.lock|README[^/]*|\.python-version)$/;

function isSourceCopy(step: Step): boolean {
  if (step.keyword !== 'COPY' && step.keyword !== 'ADD') return false;
  if (step.flags.some((flag) => flag.name === 'from')) return false;
  const sources = step.args.trim().split(/\s+/).slice(0, -1);
  return sources.some((source) => !DEPENDENCY_FILES.test(source));
}

/**
 * The layer that installs dependencies is the slow one; it should be rebuilt when uv.lock changes,
 * not on every source edit, and it should reuse uv's download cache across builds.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D007',
  docs: 'docs/rules/SLW-D007.md',
  title: 'Dependencies installed before the source, with cache and bind mounts',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'first RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --locked --no-install-project --no-dev, then COPY the source',
  run({ dockerfile }) {
    const out: Violation[] = [];
    for (const stage of dockerfile.stages) {
      const syncs = stage.instructions.filter(
        (step) => step.keyword === 'RUN' && commandsOf(commandText(step), 'uv', 'sync').length > 0,
      );
      const first = syncs[0];
      if (!first) continue;
      const sourceCopy = stage.instructions.find((step) => isSourceCopy(step) && step.line < first.line);
      if (sourceCopy) {
        out.push(
          at(
            dockerfile,
            sourceCopy.line,
            `the source is copied (line ${sourceCopy.line}) before the dependencies are installed (line ${first.line}): every edit reinstalls them`,
          ),
        );
      }
      const stepMounts = mounts(first);
      if (!stepMounts.some((mount) => mount.get('type') === 'cache')) {
        out.push(
          at(
            dockerfile,
            first.line,
            'uv sync runs without a cache mount: every build downloads all packages again',
          ),
        );
      }
      const lockCopied = stage.instructions.some(
        (step) =>
          step.keyword === 'COPY' && step.line < first.line && /(^|\s|\/)uv\.lock(\s|$)/.test(step.args),
      );
      const lockBound = stepMounts.some(
        (mount) => mount.get('type') === 'bind' && /uv\.lock$/.test(mount.get('source') ?? ''),
      );
      if (!lockBound && !lockCopied) {
        out.push(
          at(
            dockerfile,
            first.line,
            'uv sync does not see uv.lock: bind-mount it (or COPY it alone) before installing',
          ),
        );
      }
    }
    return out;
  },
};

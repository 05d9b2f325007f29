import { pipInstalls } from '../../dockerfile/installs.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

/** A version specifier, a direct reference (`pkg @ url`), a path, a URL or an archive. */
const PINNED = /[=<>@]|^[./~]|\/|^[a-z+]+:|\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i;

/**
 * hadolint DL3013: `pip install pkg` takes the newest release on every build. In a uv project the
 * lock file pins everything; a pip install beside it should pin too, or read a requirements file.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D016',
  docs: 'docs/rules/SLW-D016.md',
  title: 'pip install pins package versions',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'pin the versions (pip install pkg==1.2.3), install from a requirements or constraints file, or let uv sync install from uv.lock',
  run({ dockerfile }) {
    const out: Violation[] = [];
    for (const command of pipInstalls(dockerfile)) {
      const loose = command.packages.filter((name) => !PINNED.test(name));
      if (loose.length > 0) {
        out.push(at(dockerfile, command.step.line, `pip install without a version for ${loose.join(', ')}`));
      }
    }
    return out;
  },
};

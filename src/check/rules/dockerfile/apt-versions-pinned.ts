import { aptInstalls } from '../../dockerfile/installs.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

/** A package argument that names a version, a release (`pkg/bookworm`) or a local .deb file. */
const PINNED = /=|\/|\.deb$/;

/**
 * hadolint DL3008: `apt-get install pkg` installs whatever the mirror has that day. Pinning
 * (`pkg=1.2-3`) makes the layer repeatable; Debian removes superseded versions from its mirror,
 * so a pinned build breaks instead of drifting, which is the point.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D015',
  docs: 'docs/rules/SLW-D015.md',
  title: 'apt-get install pins package versions',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'pin each package (apt-get install -y gcc=4:12.2.0-3), or suppress with the reason the base image tag pins the release',
  run({ dockerfile }) {
    const out: Violation[] = [];
    for (const command of aptInstalls(dockerfile, 'apt-get')) {
      const loose = command.packages.filter((name) => !PINNED.test(name));
      if (loose.length > 0) {
        out.push(
          at(dockerfile, command.step.line, `apt-get install without a version for ${loose.join(', ')}`),
        );
      }
    }
    return out;
  },
};

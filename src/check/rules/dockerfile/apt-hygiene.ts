import { commandText, finalStage, lineage, mounts } from '../../../dockerfile/facts.js';
import { commandsOf } from '../../../dockerfile/shell.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

/**
 * Recommended packages roughly double what apt installs; package lists left in a layer add tens of
 * MB to the image and go stale. A cache mount on /var/lib/apt keeps the lists out of the layer too.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D011',
  docs: 'docs/rules/SLW-D011.md',
  title: 'apt-get with --no-install-recommends, lists removed',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'apt-get install -y --no-install-recommends ... && rm -rf /var/lib/apt/lists/* (or mount /var/lib/apt as a cache)',
  run({ dockerfile }) {
    const out: Violation[] = [];
    const last = finalStage(dockerfile);
    const shipped = new Set(last ? lineage(dockerfile, last).map((stage) => stage.index) : []);
    for (const stage of dockerfile.stages) {
      for (const step of stage.instructions.filter((s) => s.keyword === 'RUN')) {
        const script = commandText(step);
        const installs = [
          ...commandsOf(script, 'apt-get', 'install'),
          ...commandsOf(script, 'apt', 'install'),
        ];
        for (const words of installs) {
          if (
            !words.includes('--no-install-recommends') &&
            !words.some((w) => /Install-Recommends=(false|0)/i.test(w))
          ) {
            out.push(at(dockerfile, step.line, 'apt-get install without --no-install-recommends'));
          }
        }
        const updates = [...commandsOf(script, 'apt-get', 'update'), ...commandsOf(script, 'apt', 'update')];
        if (!shipped.has(stage.index) || (installs.length === 0 && updates.length === 0)) continue;
        const cached = mounts(step).some((mount) =>
          /^\/var\/lib\/apt(\/lists)?\/?$/.test(mount.get('target') ?? ''),
        );
        if (!cached && !/rm\s+-(rf|fr|r)\s+[^&;|]*\/var\/lib\/apt\/lists/.test(script)) {
          out.push(
            at(
              dockerfile,
              step.line,
              'apt package lists stay in the final image: remove /var/lib/apt/lists/* in the same RUN',
            ),
          );
        }
      }
    }
    return out;
  },
};

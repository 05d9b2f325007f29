import { finalStage, inheritedSteps } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

const REQUIRED = [
  'org.opencontainers.image.title',
  'org.opencontainers.image.version',
  'org.opencontainers.image.source',
];

/** Registries, scanners and `docker inspect` show these labels: what the image is and where it came from. */
export const rule: DockerfileRule = {
  id: 'SLW-D013',
  docs: 'docs/rules/SLW-D013.md',
  title: 'OCI labels present',
  severity: 'info',
  scope: 'dockerfile',
  hint: `LABEL ${REQUIRED.map((key) => `${key}=...`).join(' ')} in the final stage (values may come from ARGs)`,
  run({ dockerfile }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const keys = new Set(
      inheritedSteps(dockerfile, stage)
        .filter((step) => step.keyword === 'LABEL')
        .flatMap((step) => step.properties.map((p) => p.name)),
    );
    const missing = REQUIRED.filter((key) => !keys.has(key));
    if (missing.length === 0) return [];
    return [at(dockerfile, stage.line, `the final image lacks the labels ${missing.join(', ')}`)];
  },
};

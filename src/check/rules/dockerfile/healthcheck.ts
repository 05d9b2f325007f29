import { finalStage, inheritedSteps } from '../../../dockerfile/facts.js';
import { readHealthcheckInstruction } from '../../../policy/healthcheck.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/**
 * Kubernetes ignores HEALTHCHECK (it has probes), but docker run, compose and Swarm use it; an
 * image that says how to check itself is easier to run anywhere.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D009',
  docs: 'docs/rules/SLW-D009.md',
  title: 'HEALTHCHECK present',
  severity: 'info',
  scope: 'dockerfile',
  hint: 'add HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/health\')"]',
  run({ dockerfile }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const checks = inheritedSteps(dockerfile, stage).filter((step) => step.keyword === 'HEALTHCHECK');
    const last = checks[checks.length - 1];
    const verdict = readHealthcheckInstruction(last?.args);
    if (verdict.kind === 'missing') return [at(dockerfile, stage.line, 'the final image has no HEALTHCHECK')];
    if (verdict.kind === 'disabled' && last)
      return [at(dockerfile, last.line, 'HEALTHCHECK NONE turns the health check off')];
    return [];
  },
};

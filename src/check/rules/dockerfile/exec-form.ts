import { finalStage } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/** In shell form, /bin/sh is PID 1 and swallows SIGTERM: the app is killed instead of draining. */
export const rule: DockerfileRule = {
  id: 'SLW-D003',
  docs: 'docs/rules/SLW-D003.md',
  title: 'Exec-form CMD and ENTRYPOINT',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'write CMD/ENTRYPOINT as a JSON array, e.g. CMD ["uvicorn", "app.main:app"]',
  run({ dockerfile }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    return stage.instructions
      .filter((step) => (step.keyword === 'CMD' || step.keyword === 'ENTRYPOINT') && step.exec === undefined)
      .map((step) =>
        at(
          dockerfile,
          step.line,
          `${step.keyword} ${step.args.trim()} is in shell form: /bin/sh, not the app, gets SIGTERM`,
        ),
      );
  },
};

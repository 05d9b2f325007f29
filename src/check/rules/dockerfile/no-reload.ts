import { environmentAt, finalStage, inheritedSteps, truthy } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

/**
 * `--reload` (uvicorn, gunicorn, hypercorn, granian) and `fastapi dev` watch the source tree and
 * restart on changes: a development mode that costs a process and CPU, and in a container whose
 * code never changes only restarts the app when a file the app writes looks like source.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D020',
  docs: 'docs/rules/SLW-D020.md',
  title: 'No --reload or dev server in the image command',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'drop --reload (and UVICORN_RELOAD); run fastapi run or uvicorn without it in the image',
  run({ dockerfile }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const out: Violation[] = [];
    for (const step of inheritedSteps(dockerfile, stage)) {
      if (step.keyword !== 'CMD' && step.keyword !== 'ENTRYPOINT') continue;
      const words = step.exec ?? step.args.split(/\s+/);
      if (words.some((word) => word === '--reload' || word.startsWith('--reload='))) {
        out.push(at(dockerfile, step.line, `${step.keyword} runs the server with --reload`));
      }
      const fastapi = words.findIndex((word) => word.split('/').pop() === 'fastapi');
      if (fastapi >= 0 && words[fastapi + 1] === 'dev') {
        out.push(at(dockerfile, step.line, `${step.keyword} runs fastapi dev, the development server`));
      }
    }
    const env = stage.instructions.filter((step) => step.keyword === 'ENV');
    for (const step of env) {
      const reload = step.properties.find((p) => p.name === 'UVICORN_RELOAD');
      if (reload && truthy(environmentAt(dockerfile, stage, step).get('UVICORN_RELOAD') ?? reload.value)) {
        out.push(at(dockerfile, step.line, 'ENV UVICORN_RELOAD turns on uvicorn --reload'));
      }
    }
    return out;
  },
};

import type { DockerfileFacts } from '../../../dockerfile/facts.js';
import { finalStage, inheritedSteps } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/** The port the app listens on: the project's config, else what the image itself tells uvicorn. */
function appPort(
  dockerfile: DockerfileFacts,
  configured: number | undefined,
): { port: number; from: string } | undefined {
  if (configured !== undefined) return { port: configured, from: '[tool.slipway] port' };
  const stage = finalStage(dockerfile);
  if (!stage) return undefined;
  const steps = inheritedSteps(dockerfile, stage);
  for (const step of [...steps].reverse()) {
    const env = step.keyword === 'ENV' ? step.properties.find((p) => p.name === 'UVICORN_PORT') : undefined;
    if (env?.value && /^\d+$/.test(env.value)) return { port: Number(env.value), from: 'ENV UVICORN_PORT' };
    const args =
      step.exec ?? (step.keyword === 'CMD' || step.keyword === 'ENTRYPOINT' ? step.args.split(/\s+/) : []);
    const at = args.indexOf('--port');
    const value = at >= 0 ? args[at + 1] : undefined;
    if (value && /^\d+$/.test(value)) return { port: Number(value), from: `${step.keyword} --port` };
  }
  return undefined;
}

/** EXPOSE documents the port; tools (and slipway's cross-file rules) read it, so it must be the real one. */
export const rule: DockerfileRule = {
  id: 'SLW-D010',
  docs: 'docs/rules/SLW-D010.md',
  title: "EXPOSE matches the app's port",
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'EXPOSE the port uvicorn listens on ([tool.slipway] port, 8000 by default)',
  run({ dockerfile, model }) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const expected = appPort(dockerfile, model?.config.port);
    const exposes = inheritedSteps(dockerfile, stage).filter((step) => step.keyword === 'EXPOSE');
    if (exposes.length === 0) {
      return [
        at(
          dockerfile,
          stage.line,
          `the final image EXPOSEs no port${expected ? ` (the app listens on ${expected.port})` : ''}`,
        ),
      ];
    }
    if (!expected) return [];
    const ports = exposes.flatMap((step) =>
      step.args
        .trim()
        .split(/\s+/)
        .map((p) => p.split('/')[0]),
    );
    if (ports.includes(String(expected.port))) return [];
    const last = exposes[exposes.length - 1] ?? exposes[0];
    return [
      at(
        dockerfile,
        last?.line ?? stage.line,
        `EXPOSE ${ports.join(' ')} does not include the app's port ${expected.port} (${expected.from})`,
      ),
    ];
  },
};

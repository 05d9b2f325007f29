import { fail, pass, seconds, tail, type VerifyCheck } from '../check.js';
import { livenessProbe } from '../liveness.js';
import { readRuntimeRoutes } from '../openapi.js';
import { diagnoseStart } from '../start-diagnosis.js';
import { waitReady } from '../wait-ready.js';

export const startsCheck: VerifyCheck = {
  id: 'verify.starts',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.starts',
  title: 'starts and binds its port within the deadline',
  hint:
    'run uvicorn with `--host 0.0.0.0 --port <port>` in exec-form CMD, and make the lifespan startup ' +
    'fast; the container logs above say why it did not answer',
  async run(context) {
    const { target, engine } = context;
    const app = await context.standard();
    const probe = livenessProbe(target);
    const ready = await waitReady(engine, app, probe, target.startDeadlineSeconds * 1000);
    const evidence = [
      `$ ${app.command}`,
      `liveness: ${probe.describe} (target from ${target.source})`,
      `time-to-listen: ${ready.listenMs === undefined ? 'never' : seconds(ready.listenMs)}`,
      `time-to-alive (GET ${ready.path ?? probe.paths.join(', ')}): ${
        ready.first200Ms === undefined ? 'never' : seconds(ready.first200Ms)
      }`,
      `deadline ${target.startDeadlineSeconds} s, ${ready.attempts} attempts on ${app.baseUrl}`,
    ];
    if (ready.ok && ready.first200Ms !== undefined) {
      const status = ready.path ? ready.lastStatus[ready.path] : undefined;
      return pass(
        `answered ${probe.route ? 200 : `${status} on ${ready.path}`} after ${seconds(ready.first200Ms)}`,
        evidence,
      );
    }
    const logs = await engine.logs(app.id).catch(() => '');
    const runtime =
      ready.listenMs !== undefined && target.openapiPath
        ? await readRuntimeRoutes(app.baseUrl, target.openapiPath)
        : undefined;
    const diagnosis = diagnoseStart(
      ready,
      probe,
      target.port,
      target.startDeadlineSeconds,
      logs,
      runtime,
      target.services,
    );
    return fail(
      diagnosis.message,
      [
        ...evidence,
        ...diagnosis.evidence,
        `wait: ${ready.reason}`,
        'container log (last lines):',
        ...tail(logs),
      ],
      diagnosis.hint,
    );
  },
};

import { fail, pass, seconds, tail, type VerifyCheck } from '../check.js';
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
    const ready = await waitReady(engine, app, target.health.liveness, target.startDeadlineSeconds * 1000);
    const evidence = [
      `$ ${app.command}`,
      `time-to-listen: ${ready.listenMs === undefined ? 'never' : seconds(ready.listenMs)}`,
      `time-to-first-200 (GET ${target.health.liveness}): ${
        ready.first200Ms === undefined ? 'never' : seconds(ready.first200Ms)
      }`,
      `deadline ${target.startDeadlineSeconds} s, ${ready.attempts} attempts on ${app.baseUrl}`,
    ];
    if (ready.ok && ready.first200Ms !== undefined) {
      return pass(`answered 200 after ${seconds(ready.first200Ms)}`, evidence);
    }
    const logs = await engine.logs(app.id).catch(() => '');
    return fail(`no 200 from ${target.health.liveness}: ${ready.reason}`, [
      ...evidence,
      'container log (last lines):',
      ...tail(logs),
    ]);
  },
};

import { type CheckOutcome, fail, pass, seconds, tail, type VerifyCheck } from '../check.js';
import { tryGet } from '../http.js';
import { readProcStatus } from '../proc-status.js';
import { waitReady } from '../wait-ready.js';

/** The restrictions of the generated pod's securityContext, as engine flags. */
export const RESTRICTIONS = {
  readOnlyRootFilesystem: true,
  tmpfs: ['/tmp'],
  capDrop: ['ALL'],
  securityOpt: ['no-new-privileges'],
} as const;

export const restrictedCheck: VerifyCheck = {
  id: 'verify.restricted',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.restricted',
  title: 'runs under the pod restrictions (read-only root, no capabilities)',
  requires: ['verify.starts'],
  hint:
    'write only to /tmp (a tmpfs in the pod) or a mounted volume, never next to the code; do not ' +
    'bind ports below 1024 or rely on capabilities; compile bytecode at build time (UV_COMPILE_BYTECODE=1)',
  async run(context): Promise<CheckOutcome> {
    const { engine, target } = context;
    const app = await context.start(
      {
        user: context.runtimeUser,
        readOnlyRootFilesystem: RESTRICTIONS.readOnlyRootFilesystem,
        tmpfs: [...RESTRICTIONS.tmpfs],
        capDrop: [...RESTRICTIONS.capDrop],
        securityOpt: [...RESTRICTIONS.securityOpt],
      },
      'restricted',
    );
    try {
      const ready = await waitReady(engine, app, target.health.liveness, target.startDeadlineSeconds * 1000);
      const evidence = [`$ ${app.command}`];
      if (!ready.ok || ready.first200Ms === undefined) {
        const logs = await engine.logs(app.id).catch(() => '');
        return fail(`it does not start under the restrictions: ${ready.reason}`, [
          ...evidence,
          'container log (last lines):',
          ...tail(logs),
        ]);
      }
      evidence.push(`GET ${target.health.liveness} → 200 after ${seconds(ready.first200Ms)}`);
      if (target.health.readiness !== target.health.liveness) {
        const answer = await tryGet(`${app.baseUrl}${target.health.readiness}`, 5_000);
        const status = 'error' in answer ? answer.error : answer.status;
        evidence.push(`GET ${target.health.readiness} → ${status}`);
        if (status !== 200) return fail(`readiness answers ${status} under the restrictions`, evidence);
      }
      const proc = await readProcStatus(engine, app.id);
      if (proc.status) evidence.push(...proc.status.lines);
      const capsDropped = proc.status?.capEff === undefined || /^0+$/.test(proc.status.capEff);
      if (!capsDropped)
        return fail(`the process still holds capabilities (CapEff ${proc.status?.capEff})`, evidence);
      return pass(
        `started and answered as ${context.runtimeUser} with a read-only root and no capabilities`,
        evidence,
      );
    } finally {
      await context.discard(app);
    }
  },
};

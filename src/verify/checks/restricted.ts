import { type CheckOutcome, fail, pass, seconds, tail, type VerifyCheck } from '../check.js';
import { tryGet } from '../http.js';
import { livenessProbe, separateReadiness } from '../liveness.js';
import { type ProcStatus, readProcStatus } from '../proc-status.js';
import { waitReady } from '../wait-ready.js';

/** The restrictions of the generated pod's securityContext, as engine flags. */
export const RESTRICTIONS = {
  readOnlyRootFilesystem: true,
  tmpfs: ['/tmp'],
  capDrop: ['ALL'],
  securityOpt: ['no-new-privileges'],
} as const;

const PRIVILEGE_HINT =
  'the engine did not apply --cap-drop ALL or --security-opt no-new-privileges (a rootless or ' +
  'customised runtime?); in the pod, set capabilities.drop [ALL] and allowPrivilegeEscalation: false';

/** What the kernel says must match the flags: no effective capability, and no_new_privs set. */
export function restrictionProblem(status: ProcStatus | undefined): string | undefined {
  if (!status) return undefined;
  if (status.capEff === undefined) return 'the process status has no CapEff line';
  if (!/^0+$/.test(status.capEff)) return `the process still holds capabilities (CapEff ${status.capEff})`;
  if (status.noNewPrivs === undefined) return 'the process status has no NoNewPrivs line';
  if (!status.noNewPrivs) return 'no_new_privs is not set (NoNewPrivs 0): the process could gain privileges';
  return undefined;
}

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
      const probe = livenessProbe(target);
      const ready = await waitReady(engine, app, probe, target.startDeadlineSeconds * 1000);
      const evidence = [`$ ${app.command}`];
      if (!ready.ok || ready.first200Ms === undefined) {
        const logs = await engine.logs(app.id).catch(() => '');
        return fail(`it does not start under the restrictions: ${ready.reason}`, [
          ...evidence,
          'container log (last lines):',
          ...tail(logs),
        ]);
      }
      evidence.push(
        `GET ${ready.path} → ${ready.path ? ready.lastStatus[ready.path] : '?'} after ${seconds(ready.first200Ms)}`,
      );
      const readiness = separateReadiness(target);
      if (readiness) {
        const answer = await tryGet(`${app.baseUrl}${readiness}`, 5_000);
        const status = 'error' in answer ? answer.error : answer.status;
        evidence.push(`GET ${readiness} → ${status}`);
        if (status !== 200) return fail(`readiness answers ${status} under the restrictions`, evidence);
      }
      const proc = await readProcStatus(engine, app.id);
      evidence.push(`$ ${proc.command}`);
      const problem = restrictionProblem(proc.status);
      if (!proc.status) {
        return fail(`could not read the process status (/proc/1/status), so the restrictions are unproven`, [
          ...evidence,
          ...tail(proc.output, 6),
        ]);
      }
      evidence.push(...proc.status.lines);
      if (problem) return fail(problem, evidence, PRIVILEGE_HINT);
      return pass(
        `started and answered as ${context.runtimeUser} with a read-only root and no capabilities`,
        evidence,
      );
    } finally {
      await context.discard(app);
    }
  },
};

import { numericUser } from '../../policy/user.js';
import { type CheckOutcome, fail, pass, skip, type VerifyCheck } from '../check.js';
import { readProcStatus } from '../proc-status.js';

export { numericUser } from '../../policy/user.js';

/**
 * Kubernetes' runAsNonRoot can only prove a numeric user is not root, so the image must say which
 * uid it runs as; and the running process must really have it (an entrypoint could switch users).
 */
export const nonRootCheck: VerifyCheck = {
  id: 'verify.non-root',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.non-root',
  title: 'runs as a numeric non-root user',
  hint: 'end the final stage with `USER 10001:10001` (numbers, not a name) and files owned by root',
  async run(context): Promise<CheckOutcome> {
    const user = context.imageInfo.user;
    const numeric = numericUser(user);
    const configLine = `image config User: ${user === '' ? '(empty: root)' : JSON.stringify(user)}`;
    if (!numeric) {
      const why = user === '' ? 'the image sets no USER, so it runs as root' : `User "${user}" is a name`;
      return fail(`${why}; Kubernetes runAsNonRoot cannot verify it`, [configLine]);
    }
    if (numeric.uid === 0) return fail('the image runs as uid 0 (root)', [configLine]);

    const app = await context.standard();
    const { status, command, output } = await readProcStatus(context.engine, app.id);
    const evidence = [configLine, `$ ${command}`];
    if (!status) {
      const state = await context.engine.state(app.id).catch(() => undefined);
      if (state && !state.running) {
        return skip(
          `User ${user} is numeric, but the process had exited (code ${state.exitCode}) before its uid could be read`,
          [...evidence, 'see verify.starts'],
        );
      }
      return fail('could not read the running process status', [...evidence, output.trim().slice(0, 300)]);
    }
    evidence.push(...status.lines.filter((line) => /^(Uid|Gid)/.test(line)));
    if (status.uid !== numeric.uid) {
      return fail(`the process runs as uid ${status.uid}, not the image's ${numeric.uid}`, evidence);
    }
    if (numeric.gid !== undefined && status.gid !== numeric.gid) {
      return fail(`the process runs as gid ${status.gid}, not the image's ${numeric.gid}`, evidence);
    }
    return pass(`User ${user}; the running process has uid ${status.uid}, gid ${status.gid}`, evidence);
  },
};

import {
  type CheckOutcome,
  fail,
  pass,
  seconds,
  tail,
  type VerifyCheck,
  verifyHealthInterval,
} from '../check.js';
import { poll } from '../http.js';

const ms = (value: number) => (value === 0 ? 'default' : `${value / 1000}s`);

/**
 * The engine's own health state of the standard container. A missing HEALTHCHECK is a finding:
 * `docker run`, Compose and plain engines have no other way to tell a live app from a hung one.
 */
export const healthcheckCheck: VerifyCheck = {
  id: 'verify.healthcheck',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.healthcheck',
  title: 'the image HEALTHCHECK turns healthy',
  requires: ['verify.starts'],
  hint:
    'add `HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/healthz\')"]` ' +
    '(no curl needed), with a short --start-period and --interval',
  async run(context): Promise<CheckOutcome> {
    const { engine, imageInfo, target } = context;
    const check = imageInfo.healthcheck;
    if (!check) {
      return fail('the image has no HEALTHCHECK', ['image config Healthcheck: none']);
    }
    const evidence = [
      `HEALTHCHECK ${check.test.join(' ').slice(0, 200)}`,
      `interval ${ms(check.intervalMs)}, timeout ${ms(check.timeoutMs)}, start period ${ms(check.startPeriodMs)}, retries ${check.retries || 'default'}`,
    ];
    const every = verifyHealthInterval(imageInfo);
    if (every)
      evidence.push(`probed every ${every}s during verify (--health-interval); the command is the image's`);
    const app = await context.standard();
    let health = 'unknown';
    let log: readonly string[] = [];
    const deadlineMs = Math.max(0, target.healthDeadlineSeconds * 1000 - (Date.now() - app.startedAt));
    const outcome = await poll(
      async () => {
        const state = await engine.state(app.id);
        health = state.health ?? 'none';
        log = state.healthLog ?? [];
        return health === 'healthy' ? Date.now() - app.startedAt : undefined;
      },
      {
        deadlineMs,
        intervalMs: 250,
        giveUp: async () => (health === 'unhealthy' ? 'the engine marked it unhealthy' : undefined),
      },
    );
    if (outcome.ok) {
      return pass(`healthy ${seconds(outcome.value)} after start`, [...evidence, `state: ${health}`]);
    }
    return fail(`not healthy: ${outcome.reason} (state: ${health})`, [
      ...evidence,
      'last probe output:',
      ...tail(log.at(-1) ?? '(none)', 6),
    ]);
  },
};

import { type CheckOutcome, fail, pass, seconds, skip, tail, type VerifyCheck } from '../check.js';
import { poll, tryGet } from '../http.js';
import { LIFESPAN_DONE, launcherVariant, releaseSlowRequest, SLOW_PATH, SLOW_STARTED } from '../launcher.js';
import { livenessProbe } from '../liveness.js';
import { pythonIn } from '../python.js';
import { waitReady } from '../wait-ready.js';

/**
 * The most the launcher's route holds its request when no release comes: it is released as soon
 * as SIGTERM has been delivered, so this only bounds a signal that takes long to send.
 */
const slowSeconds = (gracefulTimeout: number) => Math.min(5, gracefulTimeout / 2);

/**
 * SIGTERM with a request really in flight, as a rolling update does it. The app runs through the
 * launcher (launcher.ts), which adds one slow route to any Starlette/FastAPI app; the request is
 * sent, seen to have started inside the app, and only then is SIGTERM sent. Pass: that request is
 * answered 200 after the signal, the lifespan shutdown runs, and the process exits 0 within the
 * pod's grace period.
 */
export const gracefulShutdownCheck: VerifyCheck = {
  id: 'verify.graceful-shutdown',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.graceful-shutdown',
  title: 'shuts down gracefully on SIGTERM',
  requires: ['verify.starts'],
  hint:
    'use exec-form CMD/ENTRYPOINT (["uvicorn", …]) so uvicorn is PID 1 and gets SIGTERM (a shell ' +
    'does not pass it on), let requests in flight finish (--timeout-graceful-shutdown of a few ' +
    'seconds, below the pod grace period), and exit 0',
  async run(context): Promise<CheckOutcome> {
    const { engine, target } = context;
    const slow = slowSeconds(target.gracefulTimeoutSeconds);
    const launcher = await context.scratch('launcher');
    const variant = await launcherVariant(launcher, context.imageInfo.env, slow);
    const app = await context.start(variant, 'graceful');
    try {
      const probe = livenessProbe(target);
      const ready = await waitReady(engine, app, probe, target.startDeadlineSeconds * 1000);
      if (!ready.ok)
        return fail(`the container did not start for this check: ${ready.reason}`, [`$ ${app.command}`]);
      // Read before the signal: a shell as PID 1 is the usual reason SIGTERM goes nowhere.
      const pid1 = await pythonIn(
        engine,
        app.id,
        "print(open('/proc/1/cmdline').read().replace('\\0', ' '))",
        [],
      );
      const timeoutMs = (target.gracePeriodSeconds + 5) * 1000;
      let answeredAt: number | undefined;
      const request = tryGet(`${app.baseUrl}${SLOW_PATH}`, timeoutMs).then((answer) => {
        answeredAt = Date.now();
        return answer;
      });
      // In flight means the app is holding it: the launcher says so in the log.
      const started = await poll(
        async () => {
          if (answeredAt !== undefined) return 'answered before the signal';
          const logs = await engine.logs(app.id).catch(() => '');
          return logs.includes(SLOW_STARTED) ? 'in flight' : undefined;
        },
        { deadlineMs: 5_000, intervalMs: 50 },
      );
      const signalledAt = Date.now();
      await engine.kill(app.id, 'SIGTERM');
      // Delivered: the request is in flight at the signal; now it may finish, as a real one would.
      await releaseSlowRequest(launcher);
      const exit = await poll(
        async () => {
          const state = await engine.state(app.id);
          return state.running ? undefined : { code: state.exitCode, ms: Date.now() - signalledAt };
        },
        { deadlineMs: target.gracePeriodSeconds * 1000, intervalMs: 100 },
      );
      const answer = await request;
      const logs = await engine.logs(app.id).catch(() => '');
      const lifespan =
        logs.split('\n').find((line) => line.includes(LIFESPAN_DONE)) ??
        logs.split('\n').find((line) => target.shutdownLogPattern.test(line));
      const inFlight = started.ok && started.value === 'in flight';
      const got =
        'error' in answer
          ? `failed: ${answer.error}`
          : `${answer.status} ${seconds(Math.max(0, (answeredAt ?? signalledAt) - signalledAt))} after SIGTERM`;
      const evidence = [
        `$ ${app.command} (with the launcher: GET ${SLOW_PATH} held until SIGTERM is delivered, at most ${slow} s)`,
        `PID 1: ${pid1.stdout.trim().slice(0, 200) || '(unreadable)'}`,
        `GET ${SLOW_PATH}: ${inFlight ? 'in flight inside the app when SIGTERM was sent' : `not in flight (${started.ok ? started.value : 'the launcher never reported it'})`}; answer: ${got}`,
        exit.ok
          ? `SIGTERM → exit code ${exit.value.code} after ${seconds(exit.value.ms)} (grace period ${target.gracePeriodSeconds} s)`
          : `SIGTERM → still running after the ${target.gracePeriodSeconds} s grace period`,
        `lifespan shutdown: ${lifespan?.trim() ?? 'not seen in the log'}`,
      ];
      const problems: string[] = [];
      if (!exit.ok) problems.push(`still running ${target.gracePeriodSeconds} s after SIGTERM`);
      else if (exit.value.code !== 0) problems.push(`exit code ${exit.value.code}`);
      if (!lifespan) problems.push('no lifespan shutdown in the log');
      const closing = ['container log (last lines):', ...tail(logs, 8)];
      if (inFlight && ('error' in answer || answer.status !== 200)) {
        problems.unshift(`the request in flight at SIGTERM was not answered 200 (${got})`);
      }
      if (problems.length > 0) return fail(problems.join('; '), [...evidence, ...closing]);
      const exited = exit.ok ? seconds(exit.value.ms) : '?';
      if (!inFlight) {
        return skip(
          `exited 0 after ${exited} with its lifespan shutdown, but no request could be held in flight ` +
            '(the launcher route is missing: not a Starlette/FastAPI app, or Python started with -I/-E)',
          [...evidence, ...closing],
        );
      }
      return pass(
        `answered the request in flight with 200 after SIGTERM, exited 0 after ${exited}`,
        evidence,
      );
    } finally {
      await context.discard(app);
    }
  },
};

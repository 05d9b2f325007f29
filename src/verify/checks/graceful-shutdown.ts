import { type CheckOutcome, fail, pass, seconds, tail, type VerifyCheck } from '../check.js';
import { poll, sleep, tryGet } from '../http.js';
import { pythonIn } from '../python.js';
import { waitReady } from '../wait-ready.js';

const REQUESTS = 5;

interface Flight {
  done: boolean;
  line: string;
  ok: boolean;
}

/**
 * SIGTERM with requests in flight, as a rolling update does it. With a slow route the requests are
 * really in flight when the signal lands; without one they are sent just before it, and the
 * evidence says how many were still unanswered at that moment.
 */
export const gracefulShutdownCheck: VerifyCheck = {
  id: 'verify.graceful-shutdown',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.graceful-shutdown',
  title: 'shuts down gracefully on SIGTERM',
  requires: ['verify.starts'],
  hint:
    'use exec-form CMD/ENTRYPOINT (["uvicorn", …]) so uvicorn is PID 1 and gets SIGTERM (a shell ' +
    'does not pass it on), and keep --timeout-graceful-shutdown below the pod grace period',
  async run(context): Promise<CheckOutcome> {
    const { engine, target } = context;
    const app = await context.start({}, 'graceful');
    try {
      const ready = await waitReady(engine, app, target.health.liveness, target.startDeadlineSeconds * 1000);
      if (!ready.ok)
        return fail(`the container did not start for this check: ${ready.reason}`, [`$ ${app.command}`]);
      // Read before the signal: a shell as PID 1 is the usual reason SIGTERM goes nowhere.
      const pid1 = await pythonIn(
        engine,
        app.id,
        "print(open('/proc/1/cmdline').read().replace('\\0', ' '))",
        [],
      );
      const path = target.slowPath ?? target.health.liveness;
      const timeoutMs = (target.gracePeriodSeconds + 5) * 1000;
      const flights: Flight[] = [];
      const requests = Array.from({ length: REQUESTS }, async () => {
        const flight: Flight = { done: false, line: 'pending', ok: false };
        flights.push(flight);
        const answer = await tryGet(`${app.baseUrl}${path}`, timeoutMs);
        flight.done = true;
        flight.ok = !('error' in answer) && answer.status === 200;
        flight.line = 'error' in answer ? answer.error : `${answer.status} in ${answer.ms} ms`;
      });
      // A slow route needs a moment for the server to accept every request before the signal.
      await sleep(target.slowPath ? 300 : 20);
      const inFlight = flights.filter((flight) => !flight.done).length;
      const signalledAt = Date.now();
      await engine.kill(app.id, 'SIGTERM');
      const exit = await poll(
        async () => {
          const state = await engine.state(app.id);
          return state.running ? undefined : { code: state.exitCode, ms: Date.now() - signalledAt };
        },
        { deadlineMs: target.gracePeriodSeconds * 1000, intervalMs: 100 },
      );
      await Promise.race([Promise.all(requests), sleep(timeoutMs)]);
      const logs = await engine.logs(app.id).catch(() => '');
      const shutdownLine = logs.split('\n').find((line) => target.shutdownLogPattern.test(line));
      const evidence = [
        `$ ${app.command}`,
        `PID 1: ${pid1.stdout.trim().slice(0, 200) || '(unreadable)'}`,
        `${REQUESTS} × GET ${path}${target.slowPath ? '' : ' (no slow route known)'}; ${inFlight} unanswered when SIGTERM was sent`,
        `requests: ${flights.map((flight) => flight.line).join('; ')}`,
        exit.ok
          ? `SIGTERM → exit code ${exit.value.code} after ${seconds(exit.value.ms)} (grace period ${target.gracePeriodSeconds} s)`
          : `SIGTERM → still running after the ${target.gracePeriodSeconds} s grace period`,
        `lifespan shutdown log (${target.shutdownLogPattern.source}): ${shutdownLine?.trim() ?? 'not found'}`,
      ];
      const problems: string[] = [];
      if (!exit.ok) problems.push(`still running ${target.gracePeriodSeconds} s after SIGTERM`);
      else if (exit.value.code !== 0) problems.push(`exit code ${exit.value.code}`);
      const lost = flights.filter((flight) => !flight.ok).length;
      if (lost > 0) problems.push(`${lost} of ${REQUESTS} requests did not complete with 200`);
      if (!shutdownLine) problems.push('no lifespan shutdown in the log');
      if (problems.length === 0)
        return pass(
          `exited 0 after ${seconds(exit.ok ? exit.value.ms : 0)}, all requests answered`,
          evidence,
        );
      return fail(problems.join('; '), [...evidence, 'container log (last lines):', ...tail(logs, 8)]);
    } finally {
      await context.discard(app);
    }
  },
};

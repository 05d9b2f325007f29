import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Repetitions of every measurement (1-9: each needs its own dependency variant). @default 3 */
  readonly reps: number;
  /** Seconds of load per run. @default 5 */
  readonly durationS: number;
  /** Requests in flight during the load. @default 16 */
  readonly concurrency: number;
  /** Hard stop for the load, whatever the duration. @default 100000 */
  readonly maxRequests: number;
}

const USAGE = 'usage: npm run bench [-- --reps 1-9] [--duration 1-30] [--concurrency 1-64]';

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      reps: { type: 'string', default: '3' },
      duration: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '16' },
    },
    strict: true,
  });
  return {
    reps: bounded('reps', values.reps, 1, 9),
    durationS: bounded('duration', values.duration, 1, 30),
    concurrency: bounded('concurrency', values.concurrency, 1, 64),
    maxRequests: 100_000,
  };
}

function bounded(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got '${raw}'\n${USAGE}`);
  }
  return value;
}

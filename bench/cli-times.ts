import { join } from 'node:path';
import { exec } from '../src/util/exec.js';
import { type Spread, spread } from './stats.js';

export interface CliTime {
  readonly command: string;
  readonly ms: Spread;
  /** The start-up budget as a multiple of bare `node -e 0` (issue 15's targets), if it has one. */
  readonly budget?: number;
}

interface Timed {
  readonly label: string;
  readonly args: readonly string[];
  readonly budget?: number;
}

/** `node -e 0` first: every other row is read as a multiple of it. */
const BARE: Timed = { label: 'node -e 0', args: ['-e', '0'] };
const COMMANDS: readonly Timed[] = [
  { label: 'slipway --version', args: ['--version'], budget: 3 },
  { label: 'slipway analyze', args: ['analyze'], budget: 6 },
  { label: 'slipway init --dry-run', args: ['init', '--dry-run'] },
  { label: 'slipway check', args: ['check'], budget: 10 },
];
const TIMEOUT_MS = 60_000;

/**
 * Wall time of the built CLI (`node bin/slipway.js`, process start included) on the reference
 * backend, beside bare node: what a user waits for. None of these commands writes or runs the engine.
 */
export async function measureCli(root: string, backend: string, reps: number): Promise<CliTime[]> {
  const bin = join(root, 'bin', 'slipway.js');
  const times: CliTime[] = [];
  for (const timed of [BARE, ...COMMANDS]) {
    const argv =
      timed === BARE
        ? [...timed.args]
        : [bin, ...timed.args, ...(timed.args[0] === '--version' ? [] : [backend])];
    const samples: number[] = [];
    // One unmeasured run first: the file cache, not the code, would decide the first sample.
    for (let rep = -1; rep < Math.max(reps, 3); rep += 1) {
      const started = performance.now();
      const result = await exec(process.execPath, argv, {
        allowFailure: true,
        timeoutMs: TIMEOUT_MS,
        env: { ...process.env, NO_COLOR: '1' },
      });
      // 1 = findings (check), still a complete run; 2 or a kill is a broken run, not a time.
      if (result.code === null || result.code > 1) {
        throw new Error(`${timed.label} failed (exit ${result.code}):\n${result.stderr.trim()}`);
      }
      if (rep >= 0) samples.push(performance.now() - started);
    }
    times.push({
      command: timed.label,
      ms: spread(samples),
      ...(timed.budget ? { budget: timed.budget } : {}),
    });
  }
  return times;
}

/** A command's median over bare node's. */
export function startRatio(times: readonly CliTime[], time: CliTime): number {
  const bare = times.find((t) => t.command === BARE.label);
  return bare && bare.ms.median > 0 ? time.ms.median / bare.ms.median : Number.NaN;
}

import { join } from 'node:path';
import { exec } from '../src/util/exec.js';
import { type Spread, spread } from './stats.js';

export interface CliTime {
  readonly command: string;
  readonly ms: Spread;
}

const COMMANDS: readonly (readonly string[])[] = [['analyze'], ['init', '--dry-run'], ['check']];
const TIMEOUT_MS = 60_000;

/**
 * Wall time of the built CLI (`node bin/slipway.js`, process start included) on the reference
 * backend: what a user waits for. None of these commands writes or runs the engine.
 */
export async function measureCli(root: string, backend: string, reps: number): Promise<CliTime[]> {
  const bin = join(root, 'bin', 'slipway.js');
  const times: CliTime[] = [];
  for (const args of COMMANDS) {
    const samples: number[] = [];
    for (let rep = 0; rep < reps; rep += 1) {
      const started = performance.now();
      const result = await exec(process.execPath, [bin, ...args, backend], {
        allowFailure: true,
        timeoutMs: TIMEOUT_MS,
        env: { ...process.env, NO_COLOR: '1' },
      });
      // 1 = findings (check), still a complete run; 2 or a kill is a broken run, not a time.
      if (result.code === null || result.code > 1) {
        throw new Error(`slipway ${args.join(' ')} failed (exit ${result.code}):\n${result.stderr.trim()}`);
      }
      samples.push(performance.now() - started);
    }
    times.push({ command: `slipway ${args.join(' ')}`, ms: spread(samples) });
  }
  return times;
}

import { join } from 'node:path';
import { type Spread, spread } from './stats.js';
import { lastLines, type TimedProcesses } from './timed-process.js';

export interface ScanVsSave {
  readonly image: string;
  readonly imageBytes: number;
  /** `docker save IMAGE` with stdout on /dev/null. */
  readonly saveMs: Spread;
  /** `node bin/slipway.js scan IMAGE`, table output. */
  readonly scanMs: Spread;
  /** scan's median over docker save's. */
  readonly ratio: number;
  /** Which of the two ran first in each pair. */
  readonly order: readonly ('save' | 'scan')[];
}

const TIMEOUT_MS = 300_000;

/**
 * `docker save` against `slipway scan` on the same image, in pairs, the first of each pair
 * alternating, after one unmeasured run of each (the layers then come from the page cache for
 * both). docker save writes to /dev/null through its stdout: `-o /dev/null` would not do, the
 * docker CLI writes `-o FILE` to a temporary file beside FILE and renames it over it (in /dev,
 * over the device). A temporary file on disk would add the disk's write time, which the machine's
 * other work makes noisy; /dev/null leaves the engine's export alone, the floor of any scan that
 * reads the image through the engine.
 */
export async function measureScanVsSave(
  root: string,
  processes: TimedProcesses,
  image: string,
  imageBytes: number,
  reps: number,
  say: (message: string) => void,
): Promise<ScanVsSave> {
  const save = async () => {
    const run = await processes.run('docker', ['save', image], {
      cwd: root,
      timeoutMs: TIMEOUT_MS,
      discardStdout: true,
    });
    if (run.code !== 0)
      throw new Error(`docker save ${image} exited ${run.code ?? run.signal}:\n${lastLines(run)}`);
    return run.ms;
  };
  const scan = async () => {
    const run = await processes.node([join(root, 'bin', 'slipway.js'), 'scan', image], {
      cwd: root,
      timeoutMs: TIMEOUT_MS,
    });
    // 1 = findings at the threshold: still a whole scan.
    if (run.code !== 0 && run.code !== 1) {
      throw new Error(`slipway scan ${image} exited ${run.code ?? run.signal}:\n${lastLines(run)}`);
    }
    return run.ms;
  };
  await save();
  await scan();
  const saves: number[] = [];
  const scans: number[] = [];
  const order: ('save' | 'scan')[] = [];
  for (let rep = 0; rep < reps; rep += 1) {
    const saveFirst = rep % 2 === 0;
    order.push(saveFirst ? 'save' : 'scan');
    if (saveFirst) {
      saves.push(await save());
      scans.push(await scan());
    } else {
      scans.push(await scan());
      saves.push(await save());
    }
    say(
      `scan vs docker save ${rep + 1}/${reps}: save ${(saves.at(-1) ?? 0).toFixed(0)} ms, scan ${(scans.at(-1) ?? 0).toFixed(0)} ms`,
    );
  }
  const saveMs = spread(saves);
  const scanMs = spread(scans);
  return { image, imageBytes, saveMs, scanMs, ratio: scanMs.median / saveMs.median, order };
}

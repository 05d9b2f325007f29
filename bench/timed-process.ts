import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Cleanup } from './cleanup.js';

/** One run of a program, timed as a user at a shell sees it. */
export interface TimedRun {
  /** From spawn to the process's exit (what the shell waits for). */
  readonly ms: number;
  /**
   * From the last byte of output (stdout or stderr) to the exit; 0 when the last chunk was read
   * after the exit was seen (output cannot have been written after the exit).
   */
  readonly exitLagMs: number;
  /** From the exit to the pipes closing: a child left behind that holds them keeps a pipeline waiting. */
  readonly closeLagMs: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  /** Kill the process group (SIGKILL) after this long. */
  readonly timeoutMs: number;
  /** stdout goes to /dev/null itself (the kernel discards it, nothing is copied through the bench). */
  readonly discardStdout?: boolean;
}

/** How long a process asked to stop (Ctrl-C) has before SIGKILL: verify removes its containers in it. */
const STOP_GRACE_MS = 15_000;

/**
 * Runs the programs the bench times (the built CLI, `docker save`), each in its own process group.
 * On Ctrl-C each one still running is asked to stop (SIGTERM, so that slipway removes its own
 * containers) and waited for, before the images they use are removed.
 */
export class TimedProcesses {
  private readonly live = new Set<{ readonly pid: number; readonly exited: Promise<void> }>();

  /** Register after the removal of what these processes create: cleanup runs newest first. */
  constructor(cleanup: Cleanup) {
    cleanup.add('running timed processes', () => this.stopAll());
  }

  /** `node <args>`: the built CLI, with NO_COLOR as the tests run it. */
  node(args: readonly string[], options: RunOptions): Promise<TimedRun> {
    return this.run(process.execPath, args, options);
  }

  run(command: string, args: readonly string[], options: RunOptions): Promise<TimedRun> {
    return new Promise((resolve, reject) => {
      const devNull = options.discardStdout ? openSync('/dev/null', 'w') : undefined;
      const started = performance.now();
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
        detached: true,
      });
      if (devNull !== undefined) closeSync(devNull);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let lastOutput = started;
      let exitAt: number | undefined;
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let openPipes = devNull === undefined ? 2 : 1;
      let markExited: () => void = () => {};
      const entry = { pid: child.pid ?? -1, exited: new Promise<void>((done) => (markExited = done)) };
      if (child.pid !== undefined) this.live.add(entry);
      const timer = setTimeout(() => killGroup(entry.pid, 'SIGKILL'), options.timeoutMs);
      const settle = () => {
        if (openPipes > 0 || exitAt === undefined || !exit) return;
        resolve({
          ms: exitAt - started,
          exitLagMs: Math.max(0, exitAt - lastOutput),
          closeLagMs: performance.now() - exitAt,
          code: exit.code,
          signal: exit.signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      };
      const collect = (stream: NodeJS.ReadableStream | null, into: Buffer[]) => {
        if (!stream) return;
        stream.on('data', (chunk: Buffer) => {
          lastOutput = performance.now();
          into.push(chunk);
        });
        stream.on('close', () => {
          openPipes -= 1;
          settle();
        });
      };
      collect(child.stdout, out);
      collect(child.stderr, err);
      child.on('error', (error) => {
        clearTimeout(timer);
        this.live.delete(entry);
        markExited();
        reject(error);
      });
      child.on('exit', (code, signal) => {
        exitAt = performance.now();
        exit = { code, signal };
        clearTimeout(timer);
        this.live.delete(entry);
        markExited();
        settle();
      });
    });
  }

  private async stopAll(): Promise<void> {
    await Promise.all(
      [...this.live].map(async (entry) => {
        killGroup(entry.pid, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((done) => {
          timer = setTimeout(() => {
            killGroup(entry.pid, 'SIGKILL');
            done();
          }, STOP_GRACE_MS);
        });
        await Promise.race([entry.exited, late]);
        clearTimeout(timer);
      }),
    );
  }
}

/** A run's output for an error message: the end of stderr (and stdout). */
export function lastLines(run: TimedRun, count = 12): string {
  return `${run.stderr}\n${run.stdout}`.trim().split('\n').slice(-count).join('\n');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

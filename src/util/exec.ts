import { type ChildProcess, spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { ExecError } from '../errors.js';

/** Per stream: enough for any error message or JSON answer, small enough for a runaway child. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** How long a child has between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2_000;

export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, then closed: a string, or a stream piped in as it comes. */
  readonly input?: string | NodeJS.ReadableStream;
  /**
   * Pipe stdout into this stream (ended with it) instead of capturing it: for output too large to
   * hold, such as `docker save`. The result's stdout is then ''.
   */
  readonly stdoutTo?: NodeJS.WritableStream;
  /** Kill the child and its process group (SIGKILL) after this many milliseconds. @default none */
  readonly timeoutMs?: number;
  /** Do not throw on a non-zero exit; the caller reads `code`. @default false */
  readonly allowFailure?: boolean;
  /** Called with each chunk of stderr, for live progress; sees all of it, even past the cap. */
  readonly onStderr?: (chunk: string) => void;
  /** Called with each chunk of stdout, for live progress; sees all of it, even past the cap. */
  readonly onStdout?: (chunk: string) => void;
  /** Bytes kept per stream in the result; beyond it the start is dropped. @default 16 MiB */
  readonly maxOutputBytes?: number;
  /**
   * Aborting sends SIGTERM to the child's process group, SIGKILL after KILL_GRACE_MS; exec then
   * rejects with the signal's reason, even with allowFailure.
   */
  readonly signal?: AbortSignal;
}

export interface ExecResult {
  /** The end of stdout: at most maxOutputBytes bytes. */
  readonly stdout: string;
  /** The end of stderr: at most maxOutputBytes bytes. */
  readonly stderr: string;
  /** null when the child was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  /** Some output was dropped to stay within maxOutputBytes. */
  readonly truncated: boolean;
  /** Bytes dropped from the start of each stream. */
  readonly droppedBytes: { readonly stdout: number; readonly stderr: number };
}

// A detached child leads its own process group, so one kill reaches its children too. Windows has
// no process groups, and there a child shares our console and its Ctrl-C anyway.
const GROUPS = process.platform !== 'win32';
const live = new Set<ChildProcess>();
// Detached children no longer get the terminal's Ctrl-C (or a hang-up): we pass those on.
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let exitHooked = false;

/**
 * Sends `signal` to the process group of every child that exec() still waits for. Synchronous, so
 * it is safe in a process 'exit' handler; a SIGTERM here is not followed by a SIGKILL.
 */
export function killAllChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of live) killGroup(child, signal);
}

/** Runs a program without a shell. Throws ExecError (command, cwd, exit code) unless allowFailure. */
export function exec(
  command: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const cwd = options.cwd ?? process.cwd();
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  if (!(maxBytes >= 0)) return Promise.reject(new RangeError(`maxOutputBytes must be >= 0, not ${maxBytes}`));
  const abort = options.signal;
  if (abort?.aborted) return Promise.reject(abort.reason);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: GROUPS,
    });
    if (child.pid !== undefined) track(child);
    const stdout = new Tail(maxBytes);
    const stderr = new Tail(maxBytes);
    let timedOut = false;
    let aborted = false;
    let escalation: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child, 'SIGKILL');
          }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup(child, 'SIGTERM');
      escalation = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
    };
    abort?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      untrack(child);
      clearTimeout(timer);
      clearTimeout(escalation);
      abort?.removeEventListener('abort', onAbort);
    };
    if (options.stdoutTo) child.stdout?.pipe(options.stdoutTo);
    else collect(child.stdout, stdout, options.onStdout);
    collect(child.stderr, stderr, options.onStderr);
    if (options.input !== undefined) {
      // A child that exits without reading its input makes the write fail with EPIPE; its exit
      // code tells the story, so the write error must not crash the process.
      child.stdin?.on('error', () => {});
      if (typeof options.input === 'string') child.stdin?.end(options.input);
      else if (child.stdin) options.input.pipe(child.stdin);
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      settle();
      if (error.code === 'ENOENT') {
        reject(new ExecError(display(command, args), cwd, null, `${command}: command not found`));
      } else {
        reject(error);
      }
    });
    child.on('close', (code, signal) => {
      settle();
      const out = stdout.text();
      const err = stderr.text();
      const result: ExecResult = {
        stdout: out,
        stderr: err,
        code,
        signal,
        timedOut,
        truncated: stdout.dropped + stderr.dropped > 0,
        droppedBytes: { stdout: stdout.dropped, stderr: stderr.dropped },
      };
      if (aborted) {
        reject(abort?.reason);
      } else if ((code !== 0 || timedOut) && !options.allowFailure) {
        const head = stderr.dropped > 0 ? `(${stderr.dropped} earlier bytes of stderr dropped)\n` : '';
        const why = timedOut ? `${head}${err}\n(timed out after ${options.timeoutMs} ms)` : `${head}${err}`;
        reject(new ExecError(display(command, args), cwd, code, why, signal));
      } else {
        resolve(result);
      }
    });
  });
}

/** Whether a program is on PATH (runs nothing). */
export async function which(command: string): Promise<string | undefined> {
  const { access, constants } = await import('node:fs/promises');
  const { delimiter, join } = await import('node:path');
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function collect(
  stream: NodeJS.ReadableStream | null,
  tail: Tail,
  onChunk: ((chunk: string) => void) | undefined,
): void {
  // Its own decoder: a character split across two reads reaches the callback whole.
  const decoder = new StringDecoder('utf8');
  stream?.on('data', (chunk: Buffer) => {
    tail.push(chunk);
    if (!onChunk) return;
    const text = decoder.write(chunk);
    if (text) onChunk(text);
  });
  stream?.on('end', () => {
    const text = decoder.end();
    if (text && onChunk) onChunk(text);
  });
}

// Reads arrive in pieces of up to 64 KiB; tiny ones are merged first, so a child that writes a
// byte at a time does not cost one Buffer object per byte.
const BLOCK = 64 * 1024;

/** The last `limit` bytes of a stream (plus at most one BLOCK until text()), decoded once at the end. */
class Tail {
  private readonly blocks: Buffer[] = [];
  private size = 0;
  private small: Buffer[] = [];
  private smallSize = 0;
  /** Bytes dropped from the start. */
  dropped = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    if (chunk.length < BLOCK) {
      this.small.push(chunk);
      this.smallSize += chunk.length;
      if (this.smallSize < BLOCK) return;
      this.flushSmall();
    } else {
      this.blocks.push(chunk);
      this.size += chunk.length;
    }
    this.trim(this.size - this.limit);
  }

  text(): string {
    this.flushSmall();
    this.trim(this.size - this.limit);
    const all = Buffer.concat(this.blocks, this.size);
    // The cut may have split a character: skip its remaining (continuation) bytes.
    let start = 0;
    while (this.dropped > 0 && start < 3 && start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80)
      start++;
    this.dropped += start;
    return all.subarray(start).toString('utf8');
  }

  private flushSmall(): void {
    if (this.smallSize === 0) return;
    this.blocks.push(Buffer.concat(this.small, this.smallSize));
    this.size += this.smallSize;
    this.small = [];
    this.smallSize = 0;
  }

  private trim(excess: number): void {
    while (excess > 0) {
      const first = this.blocks[0];
      if (!first) return;
      const cut = Math.min(excess, first.length);
      if (cut === first.length) this.blocks.shift();
      else this.blocks[0] = first.subarray(cut);
      this.size -= cut;
      this.dropped += cut;
      excess -= cut;
    }
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  // Only while tracked: after 'close' the pid may belong to someone else.
  if (GROUPS && child.pid !== undefined && live.has(child)) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // the group is gone already; the child itself may still need the signal
    }
  }
  child.kill(signal);
}

function track(child: ChildProcess): void {
  if (!GROUPS) return;
  live.add(child);
  if (live.size === 1) for (const signal of FORWARDED) process.on(signal, forward);
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => killAllChildren('SIGKILL'));
  }
}

function untrack(child: ChildProcess): void {
  if (live.delete(child) && live.size === 0) for (const signal of FORWARDED) process.off(signal, forward);
}

function forward(signal: NodeJS.Signals): void {
  killAllChildren(signal);
  // Someone else listens and decides what the signal means; otherwise do what Node would have
  // done without us (the default action: end the process by that signal).
  if (process.listenerCount(signal) > 1) return;
  for (const each of FORWARDED) process.off(each, forward);
  process.kill(process.pid, signal);
}

function display(command: string, args: readonly string[]): string {
  return [command, ...args]
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part)))
    .join(' ');
}

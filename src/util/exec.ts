import { spawn } from 'node:child_process';
import { ExecError } from '../errors.js';

export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, then closed. */
  readonly input?: string;
  /** Kill the child (SIGKILL) after this many milliseconds. @default none */
  readonly timeoutMs?: number;
  /** Do not throw on a non-zero exit; the caller reads `code`. @default false */
  readonly allowFailure?: boolean;
  /** Called with each chunk of stderr, for live progress. */
  readonly onStderr?: (chunk: string) => void;
  /** Called with each chunk of stdout, for live progress. */
  readonly onStdout?: (chunk: string) => void;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** null when the child was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
}

/** Runs a program without a shell. Throws ExecError (command, cwd, exit code) unless allowFailure. */
export function exec(
  command: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const cwd = options.cwd ?? process.cwd();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      if (error.code === 'ENOENT') {
        reject(new ExecError(display(command, args), cwd, null, `${command}: command not found`));
      } else {
        reject(error);
      }
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const result: ExecResult = { stdout, stderr, code, signal, timedOut };
      if ((code !== 0 || timedOut) && !options.allowFailure) {
        const why = timedOut ? `${stderr}\n(timed out after ${options.timeoutMs} ms)` : stderr;
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

function display(command: string, args: readonly string[]): string {
  return [command, ...args]
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part)))
    .join(' ');
}

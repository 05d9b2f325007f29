import type { ContainerEngine } from '../engines/engine.js';
import type { CheckContext } from './check.js';

/**
 * Several checks look inside the image with a short Python script: a FastAPI image always has an
 * interpreter (often only as `python3`, or only on the venv's PATH), and a script works the same in
 * slim, distroless and stand-in bases, where `find` or `cat` may be missing.
 */
const INTERPRETERS = ['python3', 'python'] as const;

export interface PythonRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
  /** The command as shown in evidence (the script itself is abbreviated). */
  readonly command: string;
}

const notFound = (result: { code: number | null; stderr: string }) =>
  (result.code === 126 || result.code === 127) && /not found|no such file/i.test(result.stderr);

/** Runs a script in a one-off container of the image (no network), as `user`. */
export async function pythonOnce(
  context: CheckContext,
  script: string,
  args: readonly string[],
  user: string,
  timeoutMs = 120_000,
): Promise<PythonRun> {
  let last: PythonRun | undefined;
  for (const python of INTERPRETERS) {
    const result = await context.runOnce(
      { entrypoint: python, command: ['-c', script, ...args], user },
      timeoutMs,
    );
    last = { ...result, command: display('run', python, args, user) };
    if (!notFound(result)) return last;
  }
  return last as PythonRun;
}

/** Runs a script inside a running container (`exec`), as the container's user unless given. */
export async function pythonIn(
  engine: ContainerEngine,
  container: string,
  script: string,
  args: readonly string[],
  user?: string,
): Promise<PythonRun> {
  let last: PythonRun | undefined;
  for (const python of INTERPRETERS) {
    const result = await engine.execIn(container, [python, '-c', script, ...args], {
      ...(user ? { user } : {}),
      timeoutMs: 60_000,
    });
    last = { ...result, command: display('exec', python, args, user) };
    if (!notFound(result)) return last;
  }
  return last as PythonRun;
}

function display(how: 'run' | 'exec', python: string, args: readonly string[], user: string | undefined) {
  const as = user ? ` --user ${user}` : '';
  const rest = args.map((arg) => (arg.length > 80 ? `${arg.slice(0, 77)}…` : arg)).join(' ');
  return `${how}${as} ${python} -c <script>${rest ? ` ${rest}` : ''}`;
}

/** The last line of stdout that parses as JSON: scripts print exactly one such line. */
export function lastJson<T>(stdout: string): T | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line) as T;
    } catch {
      // not the JSON line
    }
  }
  return undefined;
}

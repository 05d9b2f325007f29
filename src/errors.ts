/**
 * Errors that carry a user-facing message and an exit code. The CLI's one top-level catch maps
 * them to exit codes; anything else is a bug and keeps its stack.
 */

export const ExitCode = {
  Ok: 0,
  /** Findings or checks failed. */
  Failed: 1,
  /** Usage or environment error: bad input, missing engine, missing file. */
  Usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class SlipwayError extends Error {
  readonly exitCode: ExitCode;
  /** One command or action that fixes the problem, shown under the message. */
  readonly fix: string | undefined;

  constructor(message: string, options: { exitCode?: ExitCode; fix?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.Usage;
    this.fix = options.fix;
  }
}

/** Bad arguments or options. */
export class UsageError extends SlipwayError {}

/** The project on disk cannot be used as it is (no pyproject, invalid TOML, stale lock...). */
export class ProjectError extends SlipwayError {}

/** Something the machine lacks: no engine, daemon not reachable, missing image. */
export class EnvironmentError extends SlipwayError {}

/** An outside program failed; names the command, its folder and its exit code. */
export class ExecError extends SlipwayError {
  readonly command: string;
  readonly cwd: string;
  readonly code: number | null;
  readonly stderr: string;

  constructor(command: string, cwd: string, code: number | null, stderr: string, signal?: string | null) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const tail = stderr.trim().split('\n').slice(-15).join('\n');
    super(`\`${command}\` (in ${cwd}) ${how}${tail ? `:\n${tail}` : ''}`, { exitCode: ExitCode.Usage });
    this.command = command;
    this.cwd = cwd;
    this.code = code;
    this.stderr = stderr;
  }
}

/** Checks or findings failed: exit 1, the report has already been printed. */
export class ChecksFailedError extends SlipwayError {
  constructor(message: string) {
    super(message, { exitCode: ExitCode.Failed });
  }
}

import { Option } from 'commander';
import { UsageError } from '../errors.js';

/** What every command's CLI wiring shares: output, the exit code, and common options. */
export interface CliContext {
  readonly version: string;
  /** Data goes to stdout; logs and progress go to stderr. */
  readonly out: (text: string) => void;
  readonly json: (value: unknown) => void;
  readonly setExit: (code: number) => void;
  readonly stdoutColor: () => boolean;
  readonly engineOption: () => Option;
}

export function cliContext(version: string, setExit: (code: number) => void): CliContext {
  const out = (text: string) => void process.stdout.write(text);
  return {
    version,
    out,
    json: (value) => out(`${JSON.stringify(value, null, 2)}\n`),
    setExit,
    stdoutColor: () => !process.env.NO_COLOR && process.stdout.isTTY === true,
    engineOption: () => new Option('--engine <engine>', 'container engine').choices(['docker', 'podman']),
  };
}

export function positiveInt(flag: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new UsageError(`${flag} ${value}: expected a whole number`);
    return parsed;
  };
}

/** `--secret id=NAME,src=FILE` (BuildKit's own syntax), repeatable. */
export function collectSecret(value: string, previous: Record<string, string>): Record<string, string> {
  const fields = Object.fromEntries(value.split(',').map((part) => part.split('=', 2) as [string, string]));
  if (!fields.id || !(fields.src ?? fields.source)) {
    throw new UsageError(`--secret ${value}: expected id=NAME,src=FILE`);
  }
  return { ...previous, [fields.id]: (fields.src ?? fields.source) as string };
}

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
  /** `--example`: the bundled reference backend instead of the current directory. */
  readonly exampleOption: () => Option;
}

/** What the [path] argument and --example say, as a command's ProjectLocation. */
export function location(
  path: string | undefined,
  options: { readonly example?: boolean },
): { path?: string; example?: boolean } {
  return { ...(path === undefined ? {} : { path }), ...(options.example ? { example: true } : {}) };
}

/** Shown under every command that takes a project. */
export const PROJECT_HELP =
  '\nThe project is the folder you run slipway in (one with pyproject.toml, or a uv workspace root),\nor the [path] given; --example runs on the bundled reference backend instead.\n';

export function cliContext(version: string, setExit: (code: number) => void): CliContext {
  const out = (text: string) => void process.stdout.write(text);
  return {
    version,
    out,
    json: (value) => out(`${JSON.stringify(value, null, 2)}\n`),
    setExit,
    stdoutColor: () => !process.env.NO_COLOR && process.stdout.isTTY === true,
    engineOption: () => new Option('--engine <engine>', 'container engine').choices(['docker', 'podman']),
    exampleOption: () => new Option('--example', 'run on the bundled reference backend (examples/backend)'),
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

/** A repeatable option's values, in order (`--vex a.json --vex b.json`). */
export function collectList(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

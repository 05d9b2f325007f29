import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { doctor } from './commands/doctor.js';
import { ExitCode, SlipwayError } from './errors.js';
import { renderDoctorText } from './report/doctor.js';
import { packageRoot } from './util/paths.js';

const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

function stdoutColor(): boolean {
  return !process.env.NO_COLOR && process.stdout.isTTY === true;
}

function program(setExit: (code: number) => void): Command {
  const cli = new Command('slipway')
    .description('From a FastAPI + uv backend to a small, hardened image running on Kubernetes.')
    .version(version, '-v, --version')
    .showHelpAfterError()
    .exitOverride();

  cli
    .command('doctor')
    .description('tell whether this machine can build, verify and deploy images')
    .option('--json', 'print the report as JSON')
    .option('--engine <engine>', 'look only for this engine (docker or podman)')
    .action(async (options: { json?: boolean; engine?: string }) => {
      const report = await doctor(options.engine ? { engine: options.engine } : {});
      process.stdout.write(
        options.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderDoctorText(report, { color: stdoutColor() }),
      );
      setExit(report.ok ? ExitCode.Ok : ExitCode.Usage);
    });

  return cli;
}

/** Parses argv, runs one command, and maps every error to an exit code in one place. */
export async function main(argv: readonly string[]): Promise<void> {
  let exitCode: number = ExitCode.Ok;
  try {
    await program((code) => {
      exitCode = code;
    }).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    exitCode = reportError(error);
  }
  process.exitCode = exitCode;
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has printed help, the version, or the usage problem already.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  if (error instanceof SlipwayError) {
    process.stderr.write(`slipway: ${error.message}\n`);
    if (error.fix) process.stderr.write(`  fix: ${error.fix}\n`);
    return error.exitCode;
  }
  process.stderr.write(`slipway: unexpected error (a bug; please report it)\n`);
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 70;
}

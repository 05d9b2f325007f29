import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerClusterCommands } from './cli/cluster.js';
import { cliContext } from './cli/context.js';
import { registerImageCommands } from './cli/image.js';
import { registerProjectCommands } from './cli/project.js';
import { registerScanCommand } from './cli/scan.js';
import { ExitCode, SlipwayError } from './errors.js';
import { packageRoot } from './util/paths.js';

const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

function program(setExit: (code: number) => void): Command {
  const cli = new Command('slipway')
    .description('From a FastAPI + uv backend to a small, hardened image running on Kubernetes.')
    .version(version, '-v, --version')
    .showHelpAfterError()
    .exitOverride();
  const ctx = cliContext(version, setExit);
  registerProjectCommands(cli, ctx);
  registerImageCommands(cli, ctx);
  registerScanCommand(cli, ctx);
  registerClusterCommands(cli, ctx);
  return cli;
}

/** Parses argv, runs one command, and maps every error to an exit code in one place. */
export async function main(argv: readonly string[]): Promise<void> {
  quietWhenReaderLeaves(process.stdout);
  quietWhenReaderLeaves(process.stderr);
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

/**
 * `slipway … | head`: once the reader has gone, writes fail with EPIPE. The rest of the output is
 * dropped and the command ends as it would have, its containers and temp files cleaned up,
 * instead of crashing with a stack trace on the next write.
 */
function quietWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
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

import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { ExitCode } from '../errors.js';
import { type CliContext, collectList, collectSecret, location, PROJECT_HELP } from './context.js';

/**
 * build, verify and ship: the commands that make and prove an image (scan is in scan.ts). Each
 * action loads its command when it runs, so that `--help` and the other commands do not pay for it.
 */
export function registerImageCommands(cli: Command, ctx: CliContext): void {
  const { out, json, setExit, stdoutColor, engineOption, exampleOption } = ctx;
  cli
    .command('build [path]')
    .description('build the image with BuildKit (or Podman) and report its size and layers')
    .addOption(engineOption())
    .option('--secret <id=NAME,src=FILE>', 'a BuildKit secret mount (repeatable)', collectSecret, {})
    .option('--no-cache', 'build without the layer cache')
    .addOption(new Option('--progress <mode>', 'progress output').choices(['auto', 'plain']).default('auto'))
    .addOption(exampleOption())
    .addHelpText('after', PROJECT_HELP)
    .action(
      async (
        path: string | undefined,
        options: {
          engine?: string;
          secret: Record<string, string>;
          cache: boolean;
          progress: string;
          example?: boolean;
        },
      ) => {
        const [{ build }, { progressPrinter, renderBuildSummary }] = await Promise.all([
          import('../commands/build.js'),
          import('../report/build.js'),
        ]);
        const tty = options.progress === 'auto' && process.stderr.isTTY === true;
        const printer = progressPrinter(process.stderr, tty);
        try {
          const outcome = await build({
            ...location(path, options),
            ...(options.engine ? { engine: options.engine } : {}),
            secrets: options.secret,
            noCache: !options.cache,
            ...(options.progress === 'plain'
              ? { onLine: (line: string) => process.stderr.write(`${line}\n`) }
              : { onStep: printer.onStep }),
          });
          printer.stop();
          out(renderBuildSummary(outcome));
        } finally {
          printer.stop();
        }
      },
    );

  cli
    .command('verify [image-or-path]')
    .description('prove that an image works: size, user, files, start, answers, settings, shutdown')
    .option('--build', 'build the project first (with --project)')
    .option('--project <path>', 'the project the image was built from (its settings, routes, port)')
    .addOption(engineOption())
    .option('--json', 'print the results as JSON')
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--osv <dir-or-zip>', 'OSV data for the scan check (offline; default: the --update-db cache)')
    .option(
      '--fail-on <severity>',
      'lowest scan severity that fails verify.scan: unknown, low, medium, high, critical',
      'high',
    )
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document for the scan (repeatable)', collectList, [])
    .addOption(exampleOption())
    .addHelpText('after', PROJECT_HELP)
    .action(
      async (
        subject: string | undefined,
        options: {
          build?: boolean;
          project?: string;
          engine?: string;
          json?: boolean;
          junit?: string;
          osv?: string;
          failOn: string;
          vex: string[];
          example?: boolean;
        },
      ) => {
        const [{ verify }, { progressPrinter }, { renderChecklist }, { renderJunit }, { parseFailOn }] =
          await Promise.all([
            import('../commands/verify.js'),
            import('../report/build.js'),
            import('../report/checklist.js'),
            import('../report/junit.js'),
            import('../scan/index.js'),
          ]);
        const printer = progressPrinter(process.stderr, process.stderr.isTTY === true);
        const outcome = await verify({
          ...(subject ? { subject } : {}),
          ...(options.example ? { example: true } : {}),
          ...(options.project ? { project: options.project } : {}),
          ...(options.engine ? { engine: options.engine } : {}),
          build: Boolean(options.build),
          buildOptions: { onStep: printer.onStep },
          ...(options.osv ? { osv: options.osv } : {}),
          failOn: parseFailOn(options.failOn),
          ...(options.vex.length > 0 ? { vex: options.vex } : {}),
          onCheckStart: (c) => {
            printer.stop();
            if (!options.json) process.stderr.write(`  … ${c.title}\n`);
          },
        });
        printer.stop();
        const { report } = outcome;
        if (options.junit) {
          await writeFile(
            options.junit,
            renderJunit(report.results, { suiteName: `slipway verify ${report.image}` }),
          );
        }
        if (options.json) json(report);
        else
          out(
            `${report.image} (${report.imageId.slice(0, 19)})\n${renderChecklist(report.results, { durationMs: report.durationMs, color: stdoutColor() })}`,
          );
        setExit(report.ok ? ExitCode.Ok : ExitCode.Failed);
      },
    );

  cli
    .command('ship [path]')
    .description('the main job: analyze, init, check, build, verify and scan, with one summary')
    .addOption(engineOption())
    .option('--osv <dir-or-zip>', 'OSV data for the scan (offline; default: the --update-db cache)')
    .option(
      '--fail-on <severity>',
      'lowest scan severity that fails verify.scan: unknown, low, medium, high, critical',
      'high',
    )
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document for the scan (repeatable)', collectList, [])
    .option('--json', 'print the outcome as JSON')
    .addOption(exampleOption())
    .addHelpText('after', PROJECT_HELP)
    .action(
      async (
        path: string | undefined,
        options: {
          engine?: string;
          json?: boolean;
          osv?: string;
          failOn: string;
          vex: string[];
          example?: boolean;
        },
      ) => {
        const [{ ship }, { progressPrinter }, { renderShipSummary }, { parseFailOn }] = await Promise.all([
          import('../commands/ship.js'),
          import('../report/build.js'),
          import('../report/ship.js'),
          import('../scan/index.js'),
        ]);
        const tty = process.stderr.isTTY === true;
        const printer = progressPrinter(process.stderr, tty);
        const outcome = await ship({
          ...location(path, options),
          ...(options.engine ? { engine: options.engine } : {}),
          build: { onStep: printer.onStep },
          ...(options.osv ? { osv: options.osv } : {}),
          failOn: parseFailOn(options.failOn),
          ...(options.vex.length > 0 ? { vex: options.vex } : {}),
          onStageStart: (stage) => process.stderr.write(`${stage}…\n`),
          onStage: (stage) => {
            printer.stop();
            process.stderr.write(
              `${stage.status === 'ok' ? 'ok' : 'FAILED'} ${stage.stage}: ${stage.summary}\n`,
            );
          },
          onResult: (result) => process.stderr.write(`  ${result.status.padEnd(4)} ${result.id}\n`),
        });
        printer.stop();
        if (options.json) {
          json({
            ok: outcome.ok,
            stages: outcome.stages,
            image: outcome.build?.image,
            size: outcome.build?.size,
            findings: outcome.check.findings,
            verify: outcome.verify?.results,
          });
        } else out(renderShipSummary(outcome, { color: stdoutColor() }));
        setExit(outcome.ok ? ExitCode.Ok : ExitCode.Failed);
      },
    );
}

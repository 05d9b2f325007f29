import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { build } from '../commands/build.js';
import { scan } from '../commands/scan.js';
import { ship } from '../commands/ship.js';
import { verify } from '../commands/verify.js';
import { ExitCode } from '../errors.js';
import { progressPrinter, renderBuildSummary } from '../report/build.js';
import { renderChecklist } from '../report/checklist.js';
import { renderJunit } from '../report/junit.js';
import { toSarif } from '../report/sarif.js';
import { renderScanSummary } from '../report/scan.js';
import { renderShipSummary } from '../report/ship.js';
import { parseFailOn, toSpdx } from '../scan/index.js';
import { type CliContext, collectSecret } from './context.js';

/** build, verify, ship and scan: the commands that make and judge an image. */
export function registerImageCommands(cli: Command, ctx: CliContext): void {
  const { out, json, setExit, stdoutColor, engineOption, version } = ctx;
  cli
    .command('build [path]')
    .description('build the image with BuildKit (or Podman) and report its size and layers')
    .addOption(engineOption())
    .option('--secret <id=NAME,src=FILE>', 'a BuildKit secret mount (repeatable)', collectSecret, {})
    .option('--no-cache', 'build without the layer cache')
    .addOption(new Option('--progress <mode>', 'progress output').choices(['auto', 'plain']).default('auto'))
    .action(
      async (
        path: string | undefined,
        options: { engine?: string; secret: Record<string, string>; cache: boolean; progress: string },
      ) => {
        const tty = options.progress === 'auto' && process.stderr.isTTY === true;
        const printer = progressPrinter(process.stderr, tty);
        try {
          const outcome = await build({
            ...(path ? { path } : {}),
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
    .option('--osv <dir-or-zip>', 'OSV data for the scan check (offline)')
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
        },
      ) => {
        const printer = progressPrinter(process.stderr, process.stderr.isTTY === true);
        const outcome = await verify({
          ...(subject ? { subject } : {}),
          ...(options.project ? { project: options.project } : {}),
          ...(options.engine ? { engine: options.engine } : {}),
          build: Boolean(options.build),
          buildOptions: { onStep: printer.onStep },
          ...(options.osv ? { osv: options.osv } : {}),
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
    .option('--osv <dir-or-zip>', 'OSV data for the scan (offline)')
    .option('--json', 'print the outcome as JSON')
    .action(async (path: string | undefined, options: { engine?: string; json?: boolean; osv?: string }) => {
      const tty = process.stderr.isTTY === true;
      const printer = progressPrinter(process.stderr, tty);
      const outcome = await ship({
        ...(path ? { path } : {}),
        ...(options.engine ? { engine: options.engine } : {}),
        build: { onStep: printer.onStep },
        ...(options.osv ? { osv: options.osv } : {}),
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
    });

  cli
    .command('scan [image-or-path]')
    .description('read an image layer by layer: SBOM, known vulnerabilities (OSV), secrets, hardening')
    .option('--osv <dir-or-zip>', 'OSV records: a folder of JSON files or an OSV all.zip export (offline)')
    .option('--ignore-file <file>', 'YAML list of {id, reason, expires} to ignore')
    .option('--ignore-unfixed', 'ignore vulnerabilities that have no fixed version yet')
    .option('--fail-on <severity>', 'low, medium, high or critical', 'high')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'json', 'sarif', 'cyclonedx', 'spdx'])
        .default('table'),
    )
    .option('--sbom <file>', 'also write the CycloneDX 1.6 SBOM to this file')
    .addOption(engineOption())
    .action(
      async (
        subject: string | undefined,
        options: {
          osv?: string;
          ignoreFile?: string;
          ignoreUnfixed?: boolean;
          failOn: string;
          format: string;
          sbom?: string;
          engine?: string;
        },
      ) => {
        const { report } = await scan({
          ...(subject ? { subject } : {}),
          ...(options.engine ? { engine: options.engine } : {}),
          ...(options.osv ? { osv: options.osv } : {}),
          ...(options.ignoreFile ? { ignoreFile: options.ignoreFile } : {}),
          ...(options.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
          failOn: parseFailOn(options.failOn),
        });
        if (options.sbom) await writeFile(options.sbom, `${JSON.stringify(report.sbom, null, 2)}\n`);
        if (options.format === 'json') json(report);
        else if (options.format === 'cyclonedx') json(report.sbom);
        else if (options.format === 'spdx') json(toSpdx(report));
        else if (options.format === 'sarif') {
          // Scan findings are their own rules: one per id, described by the finding itself.
          const rules = [...new Map(report.findings.map((f) => [f.id, f])).values()].map((f) => ({
            id: f.id,
            title: f.title,
            severity: f.severity,
            hint: f.hint ?? '',
            docs: 'docs/scan.md',
          }));
          json(toSarif(report.findings, rules, { toolVersion: version }));
        } else out(renderScanSummary(report));
        setExit(report.failed ? ExitCode.Failed : ExitCode.Ok);
      },
    );
}

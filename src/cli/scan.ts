import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { ExitCode } from '../errors.js';
import { type CliContext, collectList, PROJECT_HELP } from './context.js';

/** The ecosystems `--update-db` fetches by default: Python packages and the slim images' Debian. */
const DEFAULT_ECOSYSTEMS = 'PyPI,Debian:13';

/** scan: an image read layer by layer (the scanner is loaded when the command runs). */
export function registerScanCommand(cli: Command, ctx: CliContext): void {
  const { out, json, setExit, engineOption, exampleOption, version } = ctx;
  cli
    .command('scan [image-or-path]')
    .description('read an image layer by layer: SBOM, known vulnerabilities (OSV), secrets, hardening')
    .option(
      '--osv <dir-or-zip>',
      'OSV records: a folder of JSON files or an OSV all.zip export (default: the --update-db cache)',
    )
    .option(
      '--update-db [ecosystems]',
      `fetch fresh OSV exports into the cache first (comma list, default ${DEFAULT_ECOSYSTEMS})`,
    )
    .option('--osv-mirror <url>', "a mirror of OSV's bucket for --update-db (or SLIPWAY_OSV_MIRROR)")
    .option('--ignore-file <file>', 'YAML list of {id, reason, expires} to ignore')
    .option('--ignore-unfixed', 'ignore vulnerabilities that have no fixed version yet')
    .option(
      '--vex <file>',
      'OpenVEX or CycloneDX VEX document: not_affected/fixed suppress (repeatable)',
      collectList,
      [],
    )
    .option('--files', 'list the files each package installed in the SBOM, with their SHA-256')
    .option('--fail-on <severity>', 'unknown, low, medium, high or critical', 'high')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'json', 'sarif', 'cyclonedx', 'spdx'])
        .default('table'),
    )
    .option('--sbom <file>', 'also write the CycloneDX 1.6 SBOM to this file')
    .addOption(engineOption())
    .addOption(exampleOption())
    .addHelpText('after', PROJECT_HELP)
    .action(
      async (
        subject: string | undefined,
        options: {
          osv?: string;
          updateDb?: string | boolean;
          osvMirror?: string;
          ignoreFile?: string;
          ignoreUnfixed?: boolean;
          vex: string[];
          files?: boolean;
          failOn: string;
          format: string;
          sbom?: string;
          engine?: string;
          example?: boolean;
        },
      ) => {
        const failOn = (await import('../scan/fail-on.js')).parseFailOn(options.failOn);
        const updateDb =
          options.updateDb === undefined
            ? undefined
            : (options.updateDb === true ? DEFAULT_ECOSYSTEMS : String(options.updateDb))
                .split(',')
                .filter(Boolean);
        // Nothing loads before the scan has started its engine save (which takes a second to begin):
        // the renderers are loaded after it (the scanner's own modules are loaded by then).
        const { scan } = await import('../commands/scan.js');
        const { report, osvData } = await scan({
          ...(subject ? { subject } : {}),
          ...(options.example ? { example: true } : {}),
          ...(options.engine ? { engine: options.engine } : {}),
          ...(options.osv ? { osv: options.osv } : {}),
          ...(updateDb ? { updateDb } : {}),
          ...(options.osvMirror ? { osvMirror: options.osvMirror } : {}),
          onProgress: (line) => process.stderr.write(`osv: ${line}\n`),
          ...(options.ignoreFile ? { ignoreFile: options.ignoreFile } : {}),
          ...(options.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
          ...(options.vex.length > 0 ? { vex: options.vex } : {}),
          ...(options.files ? { files: true } : {}),
          failOn,
        });
        const [{ toSarif }, { renderScanSummary }, { toSpdx }, { describeAge }] = await Promise.all([
          import('../report/sarif.js'),
          import('../report/scan.js'),
          import('../scan/index.js'),
          import('../scan/vulns/update.js'),
        ]);
        // Every scan says how old its vulnerability data is; stale data is a warning.
        for (const entry of osvData) {
          process.stderr.write(`${entry.stale ? 'slipway: warning: ' : ''}OSV data ${describeAge(entry)}\n`);
        }
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

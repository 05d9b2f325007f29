import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ruleDescriptors } from './check/registry.js';
import { analyze } from './commands/analyze.js';
import { build } from './commands/build.js';
import { check } from './commands/check.js';
import { deploy } from './commands/deploy.js';
import { doctor } from './commands/doctor.js';
import { init } from './commands/init.js';
import { scan } from './commands/scan.js';
import { ship } from './commands/ship.js';
import { undeploy } from './commands/undeploy.js';
import { verify } from './commands/verify.js';
import { ExitCode, SlipwayError, UsageError } from './errors.js';
import { renderAnalyzeText } from './report/analyze.js';
import { progressPrinter, renderBuildSummary } from './report/build.js';
import { renderChecklist } from './report/checklist.js';
import { appliedLine, renderDeploySummary, renderUndeploySummary, rolloutPrinter } from './report/deploy.js';
import { renderDoctorText } from './report/doctor.js';
import { formatFindingsText } from './report/findings-text.js';
import { renderInitText } from './report/init.js';
import { renderJunit } from './report/junit.js';
import type { Severity } from './report/result.js';
import { toSarif } from './report/sarif.js';
import { renderShipSummary } from './report/ship.js';
import { parseFailOn, renderScanSummary, toSpdx } from './scan/index.js';
import { scanCheck } from './scan/verify-check.js';
import { packageRoot } from './util/paths.js';

const version = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

const out = (text: string) => process.stdout.write(text);
const json = (value: unknown) => out(`${JSON.stringify(value, null, 2)}\n`);
const stdoutColor = () => !process.env.NO_COLOR && process.stdout.isTTY === true;

function positiveInt(flag: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new UsageError(`${flag} ${value}: expected a whole number`);
    return parsed;
  };
}

/** `--secret id=NAME,src=FILE` (BuildKit's own syntax), repeatable. */
function collectSecret(value: string, previous: Record<string, string>): Record<string, string> {
  const fields = Object.fromEntries(value.split(',').map((part) => part.split('=', 2) as [string, string]));
  if (!fields.id || !(fields.src ?? fields.source)) {
    throw new UsageError(`--secret ${value}: expected id=NAME,src=FILE`);
  }
  return { ...previous, [fields.id]: (fields.src ?? fields.source) as string };
}

function program(setExit: (code: number) => void): Command {
  const cli = new Command('slipway')
    .description('From a FastAPI + uv backend to a small, hardened image running on Kubernetes.')
    .version(version, '-v, --version')
    .showHelpAfterError()
    .exitOverride();
  const engineOption = () =>
    new Option('--engine <engine>', 'container engine').choices(['docker', 'podman']);

  cli
    .command('doctor')
    .description('tell whether this machine can build, verify and deploy images')
    .option('--json', 'print the report as JSON')
    .addOption(engineOption())
    .action(async (options: { json?: boolean; engine?: string }) => {
      const report = await doctor(options.engine ? { engine: options.engine } : {});
      if (options.json) json(report);
      else out(renderDoctorText(report, { color: stdoutColor() }));
      setExit(report.ok ? ExitCode.Ok : ExitCode.Usage);
    });

  cli
    .command('analyze [path]')
    .description('read a project: Python version, lock, app, health routes, settings (writes nothing)')
    .option('--json', 'print the ProjectModel as JSON')
    .action(async (path: string | undefined, options: { json?: boolean }) => {
      const model = await analyze(path ? { path } : {});
      if (options.json) json(model);
      else out(renderAnalyzeText(model));
    });

  cli
    .command('init [path]')
    .description('write the Dockerfile, .dockerignore and Kubernetes manifests (deploy/k8s)')
    .option('--dry-run', 'show what would change; write nothing')
    .option('--diff', 'show the differences (writes nothing unless --force)')
    .option('--force', 'overwrite files that were edited by hand')
    .action(
      async (path: string | undefined, options: { dryRun?: boolean; diff?: boolean; force?: boolean }) => {
        const outcome = await init({ ...(path ? { path } : {}), ...options });
        out(renderInitText(outcome, Boolean(options.dryRun || (options.diff && !options.force))));
      },
    );

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
    .command('check [path]')
    .description('lint the Dockerfile, .dockerignore and Kubernetes manifests, alone and against the app')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'fail on findings at or above this severity')
        .choices(['error', 'warning', 'info'])
        .default('warning'),
    )
    .action(async (path: string | undefined, options: { format: string; failOn: Severity }) => {
      const outcome = await check({ ...(path ? { path } : {}), failOn: options.failOn });
      if (outcome.analyzeError) {
        process.stderr.write(
          `slipway: warning: the rules that compare the files with the app did not run: ${outcome.analyzeError}\n`,
        );
      }
      if (options.format === 'json') json(outcome.report);
      else if (options.format === 'sarif')
        json(toSarif(outcome.report.findings, ruleDescriptors(), { toolVersion: version }));
      else out(formatFindingsText(outcome.report));
      setExit(outcome.failed ? ExitCode.Failed : ExitCode.Ok);
    });

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
          extraChecks: [scanCheck(options.osv ? { osv: options.osv } : {})],
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
        extraChecks: [scanCheck(options.osv ? { osv: options.osv } : {})],
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

  const clusterOptions = (command: Command) =>
    command
      .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
      .option('--context <name>', 'kubeconfig context (default: the current context)')
      .option('-n, --namespace <name>', 'namespace (default: the project, then the context, then default)')
      .option('--overlay <name>', 'overlay under deploy/k8s/overlays (local or production)', 'local')
      .option('--dry-run', "the server's dry run: report what would change, change nothing");

  clusterOptions(
    cli
      .command('deploy [path]')
      .description('build, load or push, apply with server-side apply, watch the rollout, smoke-test it'),
  )
    .option('--image <ref>', 'deploy this image instead of building the project')
    .option('--no-load', 'do not push or load the image (the nodes already have it)')
    .option(
      '--containerd-socket <path>',
      "the node's containerd socket, for local clusters (default: detect)",
    )
    .option(
      '--replicas <n>',
      'replicas of the Deployment (overlays without an autoscaler)',
      positiveInt('--replicas'),
    )
    .option('--force-conflicts', 'take over fields that another field manager owns')
    .option('--timeout <seconds>', 'rollout deadline in seconds', positiveInt('--timeout'), 180)
    .option('--no-smoke', 'skip the port-forward smoke test')
    .addOption(engineOption())
    .option('--json', 'print the outcome as JSON')
    .action(
      async (
        path: string | undefined,
        options: {
          kubeconfig?: string;
          context?: string;
          namespace?: string;
          overlay: string;
          dryRun?: boolean;
          image?: string;
          load: boolean;
          containerdSocket?: string;
          replicas?: number;
          forceConflicts?: boolean;
          timeout: number;
          smoke: boolean;
          engine?: string;
          json?: boolean;
        },
      ) => {
        const printer = progressPrinter(process.stderr, process.stderr.isTTY === true);
        const rollout = rolloutPrinter(process.stderr, process.stderr.isTTY === true);
        try {
          const outcome = await deploy({
            ...(path ? { path } : {}),
            ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
            ...(options.context ? { context: options.context } : {}),
            ...(options.namespace ? { namespace: options.namespace } : {}),
            ...(options.image ? { image: options.image } : {}),
            ...(options.containerdSocket ? { containerdSocket: options.containerdSocket } : {}),
            ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
            ...(options.engine ? { engine: options.engine } : {}),
            overlay: options.overlay,
            dryRun: Boolean(options.dryRun),
            load: options.load,
            forceConflicts: Boolean(options.forceConflicts),
            timeoutMs: options.timeout * 1000,
            smoke: options.smoke,
            build: { onStep: printer.onStep },
            onStage: (stage, detail) => {
              printer.stop();
              process.stderr.write(`${stage}… ${detail}\n`);
            },
            // A dry run lists the objects in its summary; a real apply lists them as they go.
            onApplied: (object) => {
              if (!options.dryRun) process.stderr.write(`${appliedLine(object, false)}\n`);
            },
            onProgress: rollout.onProgress,
          });
          rollout.stop();
          if (options.json) json({ ...outcome, model: undefined, project: outcome.model.name });
          else out(renderDeploySummary(outcome));
          setExit(outcome.ok ? ExitCode.Ok : ExitCode.Failed);
        } finally {
          printer.stop();
          rollout.stop();
        }
      },
    );

  clusterOptions(cli.command('undeploy [path]').description('delete what slipway deploy applied'))
    .option('--delete-namespace', 'also delete the namespace, when slipway deploy created it')
    .action(
      async (
        path: string | undefined,
        options: {
          kubeconfig?: string;
          context?: string;
          namespace?: string;
          overlay: string;
          dryRun?: boolean;
          deleteNamespace?: boolean;
        },
      ) => {
        const outcome = await undeploy({
          ...(path ? { path } : {}),
          ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
          ...(options.context ? { context: options.context } : {}),
          ...(options.namespace ? { namespace: options.namespace } : {}),
          overlay: options.overlay,
          dryRun: Boolean(options.dryRun),
          deleteNamespace: Boolean(options.deleteNamespace),
        });
        out(renderUndeploySummary(outcome));
      },
    );

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

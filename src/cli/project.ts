import { type Command, Option } from 'commander';
import { ExitCode } from '../errors.js';
import type { Severity } from '../result.js';
import { type CliContext, location, PROJECT_HELP } from './context.js';

/**
 * doctor, analyze, init and check: the commands that read a project and write its files. Each
 * action loads its command when it runs, so that `--help` and the other commands do not pay for it.
 */
export function registerProjectCommands(cli: Command, ctx: CliContext): void {
  const { out, json, setExit, stdoutColor, engineOption, exampleOption, version } = ctx;
  cli
    .command('doctor')
    .description('tell whether this machine can build, verify and deploy images')
    .option('--json', 'print the report as JSON')
    .addOption(engineOption())
    .action(async (options: { json?: boolean; engine?: string }) => {
      const [{ doctor }, { renderDoctorText }] = await Promise.all([
        import('../commands/doctor.js'),
        import('../report/doctor.js'),
      ]);
      const report = await doctor(options.engine ? { engine: options.engine } : {});
      if (options.json) json(report);
      else out(renderDoctorText(report, { color: stdoutColor() }));
      setExit(report.ok ? ExitCode.Ok : ExitCode.Usage);
    });

  cli
    .command('analyze [path]')
    .description('read a project: Python version, lock, app, health routes, settings (writes nothing)')
    .option('--json', 'print the ProjectModel as JSON')
    .addOption(exampleOption())
    .addHelpText('after', PROJECT_HELP)
    .action(async (path: string | undefined, options: { json?: boolean; example?: boolean }) => {
      const [{ analyze }, { renderAnalyzeText }] = await Promise.all([
        import('../commands/analyze.js'),
        import('../report/analyze.js'),
      ]);
      const model = await analyze(location(path, options));
      if (options.json) json(model);
      else out(renderAnalyzeText(model));
    });

  cli
    .command('init [path]')
    .description(
      'write the Dockerfile, .dockerignore and Kubernetes manifests (deploy/k8s); --with helm,compose,github for a chart, a compose file and a CI workflow',
    )
    .option('--dry-run', 'show what would change; write nothing')
    .option('--diff', 'show the differences (writes nothing unless --force)')
    .option('--force', 'overwrite files of your own and files edited by hand')
    .option(
      '--with <outputs>',
      'what to write besides the Dockerfile: a comma list of kustomize, helm, compose, github (default: [tool.slipway] outputs, else kustomize)',
    )
    .addOption(exampleOption())
    .addHelpText('after', PROJECT_HELP)
    .action(
      async (
        path: string | undefined,
        options: { dryRun?: boolean; diff?: boolean; force?: boolean; with?: string; example?: boolean },
      ) => {
        const { example: _, ...flags } = options;
        const [{ init }, { renderInitText }] = await Promise.all([
          import('../commands/init.js'),
          import('../report/init.js'),
        ]);
        const outcome = await init({ ...location(path, options), ...flags });
        out(renderInitText(outcome, Boolean(options.dryRun || (options.diff && !options.force))));
      },
    );

  cli
    .command('check [path]')
    .description(
      'lint a project (Dockerfiles, .dockerignore, manifests, alone and against the app), a folder of manifests, one manifest or Dockerfile, or - for stdin',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'fail on findings at or above this severity')
        .choices(['error', 'warning', 'info'])
        .default('warning'),
    )
    .option(
      '--kube-version <version>',
      'Kubernetes version whose Pod Security Standards apply (MAJOR.MINOR)',
      '1.35',
    )
    .option(
      '--pod-security-level <level>',
      "Pod Security level that judges every pod: privileged, baseline or restricted (default: the enforce label of the pod's Namespace, else restricted)",
    )
    .addOption(exampleOption())
    .addHelpText('after', PROJECT_HELP)
    .action(
      async (
        path: string | undefined,
        options: {
          format: string;
          failOn: Severity;
          kubeVersion: string;
          podSecurityLevel?: string;
          example?: boolean;
        },
      ) => {
        const [{ check }, { parsePodSecurityLevel }] = await Promise.all([
          import('../commands/check.js'),
          import('../kube/pod-security-level.js'),
        ]);
        const level = options.podSecurityLevel;
        const outcome = await check({
          ...location(path, options),
          failOn: options.failOn,
          kubeVersion: options.kubeVersion,
          ...(level === undefined ? {} : { podSecurityLevel: parsePodSecurityLevel(level) }),
          ...(path === '-' ? { stdin: await readStdin() } : {}),
        });
        if (outcome.analyzeError) {
          process.stderr.write(
            `slipway: warning: the rules that compare the files with the app did not run: ${outcome.analyzeError}\n`,
          );
        }
        // Which level judged, when it is not the default: on stderr, as stdout may be JSON or SARIF.
        for (const note of outcome.report.notes ?? []) process.stderr.write(`slipway: note: ${note}\n`);
        if (options.format === 'json') json(outcome.report);
        else if (options.format === 'sarif') {
          const [{ toSarif }, { ruleDescriptors }] = await Promise.all([
            import('../report/sarif.js'),
            import('../check/registry.js'),
          ]);
          json(toSarif(outcome.report.findings, ruleDescriptors(), { toolVersion: version }));
        } else out((await import('../report/findings-text.js')).formatFindingsText(outcome.report));
        setExit(outcome.failed ? ExitCode.Failed : ExitCode.Ok);
      },
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { type CliContext, location, PROJECT_HELP, positiveInt } from './context.js';

/** The flags deploy and undeploy share. */
interface ClusterFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly overlay?: string;
  readonly dryRun?: boolean;
  readonly example?: boolean;
  readonly helm?: boolean;
}

/** The shared flags as command options (absent flags stay absent). */
function clusterArgs(path: string | undefined, options: ClusterFlags) {
  return {
    ...location(path, options),
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.overlay ? { overlay: options.overlay } : {}),
    dryRun: Boolean(options.dryRun),
    helm: Boolean(options.helm),
  };
}

// The summaries of report/deploy.ts name how the objects were applied for Kustomize; a Helm
// release says its own (release, revision) instead.
const APPLIED_BY = '(server-side apply, field manager slipway)';
function helmSummary(text: string, helm: { release: string; revision: number; status: string } | undefined) {
  if (!helm) return text;
  return text.replace(
    APPLIED_BY,
    `(helm upgrade --install: release ${helm.release} revision ${helm.revision}, ${helm.status})`,
  );
}
function helmUndeploySummary(text: string, release: string | undefined) {
  return text.replace(
    /^ {2}rendered with helm get manifest$/m,
    release ? `  helm uninstall: release ${release}` : '  no Helm release to uninstall',
  );
}

/** deploy and undeploy: the commands that talk to a Kubernetes cluster (its client loads when they run). */
export function registerClusterCommands(cli: Command, ctx: CliContext): void {
  const { out, json, setExit, engineOption, exampleOption } = ctx;
  const clusterOptions = (command: Command) =>
    command
      .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
      .option('--context <name>', 'kubeconfig context (default: the current context)')
      .option('-n, --namespace <name>', 'namespace (default: the project, then the context, then default)')
      .option('--overlay <name>', 'overlay under deploy/k8s/overlays: local (default) or production')
      .option('--dry-run', "the server's dry run: report what would change, change nothing")
      .addOption(exampleOption())
      .addHelpText('after', PROJECT_HELP);

  clusterOptions(
    cli
      .command('deploy [path]')
      .description('build, load or push, apply with server-side apply, watch the rollout, smoke-test it'),
  )
    .option(
      '--helm',
      'install or upgrade the chart deploy/helm/<name> as a Helm release, instead of an overlay',
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
        options: ClusterFlags & {
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
        const [{ deploy }, { progressPrinter }, { appliedLine, renderDeploySummary, rolloutPrinter }] =
          await Promise.all([
            import('../commands/deploy.js'),
            import('../report/build.js'),
            import('../report/deploy.js'),
          ]);
        const printer = progressPrinter(process.stderr, process.stderr.isTTY === true);
        const rollout = rolloutPrinter(process.stderr, process.stderr.isTTY === true);
        try {
          const outcome = await deploy({
            ...clusterArgs(path, options),
            ...(options.image ? { image: options.image } : {}),
            ...(options.containerdSocket ? { containerdSocket: options.containerdSocket } : {}),
            ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
            ...(options.engine ? { engine: options.engine } : {}),
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
          else out(helmSummary(renderDeploySummary(outcome), outcome.helm));
          setExit(outcome.ok ? ExitCode.Ok : ExitCode.Failed);
        } finally {
          printer.stop();
          rollout.stop();
        }
      },
    );

  clusterOptions(cli.command('undeploy [path]').description('delete what slipway deploy applied'))
    .option('--delete-namespace', 'also delete the namespace, when slipway deploy created it')
    .option('--helm', 'uninstall the Helm release that deploy --helm installed')
    .action(async (path: string | undefined, options: ClusterFlags & { deleteNamespace?: boolean }) => {
      const [{ undeploy }, { renderUndeploySummary }] = await Promise.all([
        import('../commands/undeploy.js'),
        import('../report/deploy.js'),
      ]);
      const outcome = await undeploy({
        ...clusterArgs(path, options),
        deleteNamespace: Boolean(options.deleteNamespace),
      });
      const text = renderUndeploySummary(outcome);
      out(options.helm ? helmUndeploySummary(text, outcome.helmRelease) : text);
    });
}

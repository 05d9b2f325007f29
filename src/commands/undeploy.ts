import { analyzeProject } from '../analyze/index.js';
import { type ClusterOptions, connect } from '../deploy/cluster.js';
import { releaseOf, uninstallRelease } from '../deploy/helm-release.js';
import { pointAt, renderDeployOverlay } from '../deploy/manifests.js';
import { checkNamespaceDeletable, deleteNamespace, removeApplied } from '../deploy/prune.js';
import { UsageError } from '../errors.js';
import { imageRef, resourceName } from '../generate/index.js';
import { requireHelm } from '../kube/helm.js';
import { type ProjectLocation, projectDir } from '../util/paths.js';

export type { UndeployOutcome } from '../deploy/outcome.js';

import { resolveNamespace } from '../deploy/namespace.js';
import type { UndeployOutcome } from '../deploy/outcome.js';

export interface UndeployOptions extends ClusterOptions, ProjectLocation {
  /** @default as deploy: --namespace, [tool.slipway] kubernetes.namespace, the context's, `default` */
  readonly namespace?: string;
  /** The overlay that was deployed; its objects are removed, and all labelled as this app. @default 'local' */
  readonly overlay?: string;
  /** Also delete the namespace, when slipway deploy created it. @default false */
  readonly deleteNamespace?: boolean;
  /** Server-side dry run: report what would be deleted. @default false */
  readonly dryRun?: boolean;
  /** Uninstall the Helm release `deploy --helm` installed (helm uninstall), instead. @default false */
  readonly helm?: boolean;
}

/** Deletes what `slipway deploy` applied; Secrets made by hand and other tools' objects stay. */
export async function undeploy(options: UndeployOptions = {}): Promise<UndeployOutcome> {
  if (options.helm && options.overlay !== undefined) {
    throw new UsageError(`--overlay ${options.overlay} with --helm: a Helm release has no overlay`, {
      fix: 'drop --overlay to uninstall the release, or drop --helm to remove the overlay',
    });
  }
  const model = await analyzeProject(projectDir(options, { verb: 'undeploy' }));
  const cluster = await connect(options);
  const namespace = resolveNamespace(options, model, cluster);
  const dryRun = options.dryRun ?? false;
  // Checked before deleting anything, so a refusal leaves the app as it was.
  const namespaceExists = options.deleteNamespace ? await checkNamespaceDeletable(cluster, namespace) : false;
  if (options.helm) {
    const helm = await requireHelm('undeploy --helm uninstalls the release with it');
    const target = releaseOf(model, {
      helm,
      namespace,
      context: cluster.context,
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    });
    const removed = await uninstallRelease(target, dryRun);
    if (namespaceExists) await deleteNamespace(cluster, namespace, dryRun);
    return {
      context: cluster.context,
      namespace,
      removed,
      namespaceDeleted: namespaceExists,
      renderedBy: 'helm get manifest',
      ...(removed.length > 0 ? { helmRelease: target.release } : {}),
      dryRun,
    };
  }
  const overlay = options.overlay ?? 'local';
  // The same renderer as deploy: real kustomize when kubectl is there, else the labelled subset.
  const rendered = await renderDeployOverlay(model, overlay);
  const objects = pointAt({ model, overlay, namespace, image: imageRef(model) }, rendered.objects);
  const removed = await removeApplied(cluster, namespace, objects, resourceName(model), dryRun);
  if (namespaceExists) await deleteNamespace(cluster, namespace, dryRun);
  return {
    context: cluster.context,
    namespace,
    removed,
    namespaceDeleted: namespaceExists,
    renderedBy: rendered.renderedBy,
    dryRun,
  };
}

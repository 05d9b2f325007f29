import type { ProjectModel } from '../analyze/model.js';
import { resourceName } from '../generate/index.js';
import { requireHelm } from '../kube/helm.js';
import { type AppliedObject, applyAll } from './apply.js';
import type { Cluster } from './cluster.js';
import {
  type HelmOutcome,
  releaseDeployment,
  releaseOf,
  releaseValues,
  renderRelease,
  upgradeInstall,
} from './helm-release.js';
import { type Manifest, pointAt, renderDeployOverlay, renderingNote } from './manifests.js';
import type { DeployOutcome } from './outcome.js';

/**
 * How one deploy puts the objects on the cluster: a Kustomize overlay through server-side apply,
 * or the project's Helm chart as a release (`--helm`). The rest of deploy (Secrets checked before
 * the build, load, rollout, smoke test) is the same for both.
 */
export interface DeployPlan {
  /** What the render stage says: the overlay or chart, and who rendered it. */
  readonly note: string;
  readonly renderedBy: DeployOutcome['renderedBy'];
  /** What is deployed, as messages name it: `the local overlay`, `the chart deploy/helm/api`. */
  readonly source: string;
  /** Where the project's settings are set, for the empty-setting refusal's fix. */
  readonly settingsAt: string;
  /** The objects before the image is built (UNBUILT_IMAGE): what the Secret and settings checks read. */
  readonly draft: readonly Manifest[];
  /** The objects that will run `image`. */
  objects(image: string): Promise<Manifest[]>;
  /** The Deployment whose rollout is watched. */
  deploymentName(objects: readonly Manifest[], image: string): string;
  /** Puts `objects` (rendered for `image`) on the cluster. */
  apply(
    objects: readonly Manifest[],
    image: string,
    options: { dryRun: boolean; forceConflicts: boolean; onApplied?: (object: AppliedObject) => void },
  ): Promise<{ applied: AppliedObject[]; helm?: HelmOutcome }>;
}

export interface PlanRequest {
  readonly model: ProjectModel;
  readonly cluster: Cluster;
  readonly namespace: string;
  readonly overlay: string;
  readonly replicas?: number;
  readonly kubeconfig?: string;
}

/**
 * The image the draft objects name: they are rendered before the image is built, and only their
 * Secrets and settings are read, which no image changes.
 */
const UNBUILT_IMAGE = 'image-not-built-yet:0';

/** deploy/k8s/overlays/<overlay>, rendered once with real kustomize (the subset only as the labelled fallback). */
export async function kustomizePlan(request: PlanRequest): Promise<DeployPlan> {
  const { model, overlay, namespace, cluster } = request;
  const rendered = await renderDeployOverlay(model, overlay);
  const point = { model, overlay, namespace, ...replicas(request) };
  return {
    note: `deploy/k8s/overlays/${overlay} ${renderingNote(rendered)}`,
    renderedBy: rendered.renderedBy,
    source: `the ${overlay} overlay`,
    settingsAt: `deploy/k8s/base/configmap.yaml or in deploy/k8s/overlays/${overlay}`,
    draft: pointAt({ ...point, image: UNBUILT_IMAGE }, rendered.objects),
    objects: async (image) => pointAt({ ...point, image }, rendered.objects),
    deploymentName: () => resourceName(model),
    apply: async (objects, _image, options) => ({ applied: await applyAll(cluster, objects, options) }),
  };
}

/** deploy/helm/<name>/ as the Helm release <name>, the built image set through its values. */
export async function helmPlan(request: PlanRequest): Promise<DeployPlan> {
  const { model, namespace, cluster } = request;
  const helm = await requireHelm('deploy --helm installs the chart with it');
  const target = releaseOf(model, {
    helm,
    namespace,
    context: cluster.context,
    ...(request.kubeconfig ? { kubeconfig: request.kubeconfig } : {}),
  });
  const values = (image: string) => releaseValues(target, image, request.replicas);
  return {
    note: `${target.shown} rendered with helm template, installed as release ${target.release} (helm upgrade --install)`,
    renderedBy: 'helm template',
    source: `the chart ${target.shown}`,
    settingsAt: `settings in ${target.shown}/values.yaml`,
    draft: await renderRelease(target, values(UNBUILT_IMAGE)),
    objects: (image) => renderRelease(target, values(image)),
    deploymentName: (objects, image) => releaseDeployment(objects, image, target.shown).metadata?.name ?? '',
    apply: async (objects, image, options) => {
      const done = await upgradeInstall(cluster, target, objects, values(image), options.dryRun);
      for (const object of done.applied) options.onApplied?.(object);
      return done;
    },
  };
}

function replicas(request: PlanRequest): { replicas?: number } {
  return request.replicas === undefined ? {} : { replicas: request.replicas };
}

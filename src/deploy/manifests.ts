import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ProjectModel } from '../analyze/model.js';
import { ProjectError, UsageError } from '../errors.js';
import { resourceName } from '../generate/index.js';
import { migrationJobName } from '../generate/k8s/migration.js';
import { type KustomizeRenderer, type RenderedBy, renderOverlay } from '../kube/kustomize/overlay.js';
import { renderKustomization } from '../kube/kustomize/render.js';

/** Labels every generated object carries; undeploy finds what deploy applied by them. */
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const INSTANCE = 'app.kubernetes.io/instance';
export const FIELD_MANAGER = 'slipway';

export type Manifest = KubernetesObject & Record<string, unknown>;

export interface RenderRequest {
  readonly model: ProjectModel;
  /** `local`, `production`, or another folder under deploy/k8s/overlays. */
  readonly overlay: string;
  readonly namespace: string;
  /** The image of the app container. */
  readonly image: string;
  /** spec.replicas of the Deployment; refused when an autoscaler owns the count. */
  readonly replicas?: number;
}

/** The overlay's folder; the same renderer `slipway check` uses, so deploy applies what check read. */
export function overlayDir(model: ProjectModel, overlay: string): string {
  const dir = join(model.root, 'deploy', 'k8s', 'overlays', overlay);
  if (!existsSync(dir)) {
    throw new ProjectError(`no overlay "${overlay}" in ${join(model.root, 'deploy', 'k8s', 'overlays')}`, {
      fix: `slipway init ${model.root}   (writes the local and production overlays)`,
    });
  }
  return dir;
}

/** An overlay rendered once: deploy points it at the image it built, undeploy at what it removes. */
export interface DeployOverlay {
  readonly objects: readonly Manifest[];
  /** `kubectl kustomize`, or the built-in subset as the labelled offline fallback. */
  readonly renderedBy: RenderedBy;
}

/**
 * Renders the overlay with real kustomize (`kubectl kustomize`), the built-in subset only when
 * kubectl is not on PATH (or when asked for), labelled so.
 */
export async function renderDeployOverlay(
  model: ProjectModel,
  overlay: string,
  renderer: KustomizeRenderer = 'auto',
): Promise<DeployOverlay> {
  const { objects, renderedBy } = await renderOverlay(overlayDir(model, overlay), renderer);
  return { objects: objects as Manifest[], renderedBy };
}

/** What the output says about the renderer: "rendered with kubectl kustomize". */
export function renderingNote(rendered: Pick<DeployOverlay, 'renderedBy'>): string {
  return `rendered with ${rendered.renderedBy}`;
}

/** Renders the overlay (as renderDeployOverlay) and points it at this deployment, in apply order. */
export async function renderOverlayForDeploy(
  request: RenderRequest,
  renderer: KustomizeRenderer = 'auto',
): Promise<{ manifests: Manifest[]; renderedBy: RenderedBy }> {
  const rendered = await renderDeployOverlay(request.model, request.overlay, renderer);
  return { manifests: pointAt(request, rendered.objects), renderedBy: rendered.renderedBy };
}

/**
 * Renders the overlay with the built-in subset only (no kubectl) and points it at this
 * deployment: what the comparison with real kustomize holds it to. Deploy uses renderDeployOverlay.
 */
export function renderForDeploy(request: RenderRequest): Manifest[] {
  return pointAt(request, renderKustomization(overlayDir(request.model, request.overlay)) as Manifest[]);
}

/** The rendered objects pointed at this deployment: namespace, image, replicas; in apply order. */
export function pointAt(request: RenderRequest, rendered: readonly Manifest[]): Manifest[] {
  const name = resourceName(request.model);
  const deployment = rendered.find((o) => o.kind === 'Deployment' && o.metadata?.name === name);
  if (!deployment) {
    throw new ProjectError(`the ${request.overlay} overlay renders no Deployment named ${name}`, {
      fix: `slipway init ${request.model.root} --diff   (shows what the generated manifests expect)`,
    });
  }
  const autoscaled = rendered.some(
    (o) => o.kind === 'HorizontalPodAutoscaler' && spec(o).scaleTargetRef?.name === name,
  );
  if (request.replicas !== undefined && autoscaled) {
    throw new UsageError(
      `--replicas conflicts with the HorizontalPodAutoscaler of the ${request.overlay} overlay`,
      { fix: 'set minReplicas in the overlay, or deploy the local overlay with --replicas' },
    );
  }
  const objects = rendered.map((object) => {
    if (object.kind === 'Namespace') return object;
    const out: Manifest = { ...object, metadata: { ...object.metadata, namespace: request.namespace } };
    // The migration Job runs the image that is deployed, like the pods it goes before.
    if (object.kind === 'Job' && object.metadata?.name === migrationJobName(request.model)) {
      return withImage(out, 'migrate', request.image);
    }
    if (object !== deployment) return out;
    return withReplicas(withImage(out, name, request.image), request.replicas);
  });
  return orderForApply(objects);
}

interface PodSpec {
  containers?: { name: string; image?: string }[];
}
interface LooseSpec {
  replicas?: number;
  scaleTargetRef?: { name?: string };
  template?: { spec?: PodSpec };
}
function spec(object: Manifest): LooseSpec {
  return (object.spec ?? {}) as LooseSpec;
}

function withImage(deployment: Manifest, container: string, image: string): Manifest {
  const template = spec(deployment).template ?? {};
  const containers = template.spec?.containers ?? [];
  // The generator names the app container after the project; a hand-written one may not.
  const target =
    containers.find((c) => c.name === container) ?? (containers.length === 1 ? containers[0] : undefined);
  if (!target) {
    throw new ProjectError(`the Deployment has no container named ${container} to run ${image}`, {
      fix: `name the app container ${container} in deploy/k8s/base/deployment.yaml`,
    });
  }
  const patched = containers.map((c) => (c === target ? { ...c, image } : c));
  return {
    ...deployment,
    spec: { ...spec(deployment), template: { ...template, spec: { ...template.spec, containers: patched } } },
  };
}

function withReplicas(deployment: Manifest, replicas: number | undefined): Manifest {
  return replicas === undefined ? deployment : { ...deployment, spec: { ...spec(deployment), replicas } };
}

// Whatever a pod reads at start must exist before the Deployment creates pods; the Service goes
// before the Deployment so that the first ready pod is reachable at once.
const APPLY_RANK: Readonly<Record<string, number>> = {
  Namespace: 0,
  ServiceAccount: 1,
  ConfigMap: 1,
  Secret: 1,
  Service: 2,
  Deployment: 3,
};

/** Namespace, ConfigMaps and Secrets, Service, Deployment, then the rest; stable within a rank. */
export function orderForApply<T extends KubernetesObject>(objects: readonly T[]): T[] {
  const rank = (o: T) => APPLY_RANK[o.kind ?? ''] ?? 4;
  return objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => rank(a.object) - rank(b.object) || a.index - b.index)
    .map(({ object }) => object);
}

/** A Secret the pods read, with the keys they cannot start without. */
export interface SecretNeed {
  readonly name: string;
  /** Empty when the whole Secret is read (envFrom) and no single key is named. */
  readonly keys: readonly string[];
}

/** The Secrets the Deployment's pods need (non-optional env, envFrom and volume references). */
export function requiredSecrets(objects: readonly Manifest[]): SecretNeed[] {
  const needs = new Map<string, Set<string>>();
  const need = (name: string | undefined, key?: string) => {
    if (!name) return;
    const keys = needs.get(name) ?? new Set<string>();
    if (key) keys.add(key);
    needs.set(name, keys);
  };
  for (const object of objects) {
    if (object.kind !== 'Deployment') continue;
    const pod = (spec(object).template?.spec ?? {}) as RawPodSpec;
    for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      for (const env of container.env ?? []) {
        const ref = env.valueFrom?.secretKeyRef;
        if (ref && ref.optional !== true) need(ref.name, ref.key);
      }
      for (const from of container.envFrom ?? []) {
        if (from.secretRef && from.secretRef.optional !== true) need(from.secretRef.name);
      }
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.secret && volume.secret.optional !== true) need(volume.secret.secretName);
    }
  }
  return [...needs].map(([name, keys]) => ({ name, keys: [...keys].sort() }));
}

interface RawPodSpec {
  containers?: RawContainer[];
  initContainers?: RawContainer[];
  volumes?: { secret?: { secretName?: string; optional?: boolean } }[];
}
interface RawContainer {
  env?: { valueFrom?: { secretKeyRef?: { name?: string; key?: string; optional?: boolean } } }[];
  envFrom?: { secretRef?: { name?: string; optional?: boolean } }[];
}

import { relative } from 'node:path';
import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { type AppliedObject, checkSecrets, ensureNamespace } from '../deploy/apply.js';
import { attestationNote } from '../deploy/attestations.js';
import { type ClusterOptions, connect } from '../deploy/cluster.js';
import { detectLoader, type ImageLoader } from '../deploy/loaders.js';
import { requiredSecrets } from '../deploy/manifests.js';
import { resolveNamespace } from '../deploy/namespace.js';
import type { DeployOutcome, DeployStage } from '../deploy/outcome.js';
import { type DeployPlan, helmPlan, kustomizePlan } from '../deploy/plan.js';
import { type SmokeResult, smokeTest } from '../deploy/port-forward.js';
import { type RolloutProgress, watchRollout } from '../deploy/rollout.js';
import { detectEngine } from '../engines/detect.js';
import type { ContainerEngine, EngineInfo } from '../engines/engine.js';
import { UsageError } from '../errors.js';
import { imageTag, livenessPath } from '../generate/common.js';
import { imageRef } from '../generate/index.js';
import { type ProjectLocation, projectDir } from '../util/paths.js';

export type { DeployOutcome, DeployStage } from '../deploy/outcome.js';

import { type BuildImageOptions, buildImage } from '../build/image.js';

export interface DeployOptions extends ClusterOptions, ProjectLocation {
  /** @default [tool.slipway] kubernetes.namespace, then the context's namespace, then `default` */
  readonly namespace?: string;
  /** Overlay under deploy/k8s/overlays. @default 'local' */
  readonly overlay?: string;
  /**
   * Install or upgrade the project's Helm chart (deploy/helm/<name>/) as a release with real helm,
   * instead of applying a Kustomize overlay. @default false
   */
  readonly helm?: boolean;
  /** Deploy this image instead of building the project. */
  readonly image?: string;
  /** Get the image to the cluster (push or load). @default true */
  readonly load?: boolean;
  /** The node's containerd socket, for local clusters. @default detected */
  readonly containerdSocket?: string;
  /** spec.replicas of the Deployment (overlays without an autoscaler). @default the overlay's */
  readonly replicas?: number;
  /** Server-side dry run (dryRun=All): report what would change, change nothing. @default false */
  readonly dryRun?: boolean;
  /** Take over fields another field manager owns. @default false */
  readonly forceConflicts?: boolean;
  /** Rollout deadline. @default 180000 */
  readonly timeoutMs?: number;
  /** GET the liveness route through a port-forward after the rollout. @default true */
  readonly smoke?: boolean;
  readonly engine?: string;
  readonly build?: BuildImageOptions;
  readonly onStage?: (stage: DeployStage, detail: string) => void;
  readonly onApplied?: (object: AppliedObject) => void;
  readonly onProgress?: (progress: RolloutProgress) => void;
}

export async function deploy(options: DeployOptions = {}): Promise<DeployOutcome> {
  const started = Date.now();
  if (options.helm && options.overlay !== undefined) {
    throw new UsageError(`--overlay ${options.overlay} with --helm: a chart has values, not overlays`, {
      fix: 'drop --overlay to install the chart, or drop --helm to apply the overlay',
    });
  }
  const overlay = options.overlay ?? 'local';
  const dryRun = options.dryRun ?? false;
  if (options.replicas !== undefined && !(Number.isInteger(options.replicas) && options.replicas >= 0)) {
    throw new UsageError(`--replicas ${options.replicas}: expected a whole number`, { fix: '--replicas 2' });
  }
  const model = await analyzeProject(projectDir(options, { verb: 'deploy' }));
  // The cluster is asked first: a build is wasted when there is nowhere to deploy it.
  const cluster = await connect(options);
  const namespace = resolveNamespace(options, model, cluster);
  options.onStage?.(
    'cluster',
    `${cluster.context} (${cluster.server}, Kubernetes ${cluster.version}), namespace ${namespace}`,
  );
  // Rendered once (real kustomize, or helm template for --helm) and its Secrets checked before the
  // build: a missing Secret fails in seconds.
  const planRequest = {
    model,
    cluster,
    namespace,
    overlay,
    ...replicas(options),
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
  };
  const plan = options.helm ? await helmPlan(planRequest) : await kustomizePlan(planRequest);
  options.onStage?.('render', plan.note);
  if (!dryRun) refuseEmptySettings(model, plan);
  const namespaceCreated = await ensureNamespace(cluster, namespace, dryRun);
  const example = relative(process.cwd(), `${model.root}/deploy/k8s/base/secret.example.env`);
  await checkSecrets(cluster, namespace, requiredSecrets(plan.draft), example);

  let engine: ContainerEngine | undefined;
  let engineInfo: EngineInfo | undefined;
  // A dry run builds nothing: it shows the objects with --image, or with the project's name:version.
  let image = options.image ?? (dryRun ? imageRef(model) : undefined);
  if (!image) {
    ({ engine, info: engineInfo } = await detectEngine(options.engine));
    options.onStage?.('build', 'building the image');
    const built = await buildImage(model, engine, options.build ?? {});
    // One tag per image content: re-deploying a rebuilt image under the same tag would roll nothing.
    image = `${built.image}-${imageTag(built.imageId.replace(/^sha256:/, '').slice(0, 12))}`;
    await engine.tag(built.image, image);
  }
  let load: DeployOutcome['load'];
  if (options.load !== false && !dryRun) {
    if (!engine) ({ engine, info: engineInfo } = await detectEngine(options.engine));
    const loader = await detectLoader({
      context: cluster.context,
      server: cluster.server,
      registry: model.config.image.registry,
      ...(options.containerdSocket ? { containerdSocket: options.containerdSocket } : {}),
    });
    load = await loadImage(loader, engine, engineInfo, image, options);
  }

  const objects = await plan.objects(image);
  const name = plan.deploymentName(objects, image);
  const how = options.helm ? ' by helm upgrade --install' : '';
  options.onStage?.('apply', `${objects.length} objects${how}${dryRun ? ' (server dry run)' : ''}`);
  const { applied, helm } = await plan.apply(objects, image, {
    dryRun,
    forceConflicts: options.forceConflicts ?? false,
    ...(options.onApplied ? { onApplied: options.onApplied } : {}),
  });
  if (helm) options.onStage?.('apply', `release ${helm.release} revision ${helm.revision}: ${helm.status}`);
  const base = {
    model,
    context: cluster.context,
    server: cluster.server,
    namespace,
    namespaceCreated,
    image,
    load,
    applied,
    renderedBy: plan.renderedBy,
    ...(helm ? { helm } : {}),
    dryRun,
  };
  if (dryRun)
    return { ...base, rollout: undefined, smoke: undefined, ok: true, durationMs: Date.now() - started };

  options.onStage?.('rollout', `deployment/${name}`);
  const rollout = await watchRollout(cluster, namespace, name, {
    timeoutMs: options.timeoutMs ?? 180_000,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  let smoke: SmokeResult | undefined;
  const service = objects.find((o) => o.kind === 'Service')?.metadata?.name;
  const path = livenessPath(model);
  if (rollout.ok && options.smoke !== false && service && path) {
    options.onStage?.('smoke', `GET ${path} through a port-forward to service/${service}`);
    smoke = await smokeTest(cluster, namespace, service, path);
  }
  const ok = rollout.ok && (smoke?.ok ?? true);
  return { ...base, rollout, smoke, ok, durationMs: Date.now() - started };
}

/**
 * A required setting left empty in the ConfigMap (no default, no example value) would start pods
 * that crash at once: refused before anything is applied, naming each one.
 */
function refuseEmptySettings(model: ProjectModel, plan: DeployPlan): void {
  const required = new Set(model.settings.env.filter((v) => v.required && !v.secret).map((v) => v.name));
  const empty = plan.draft
    .filter((o) => o.kind === 'ConfigMap')
    .flatMap((o) => Object.entries((o as { data?: Record<string, unknown> }).data ?? {}))
    .filter(([key, value]) => required.has(key) && (value === '' || value === null || value === undefined))
    .map(([key]) => key);
  if (empty.length === 0) return;
  throw new UsageError(
    `the app requires ${empty.join(', ')}, empty in the ConfigMap of ${plan.source}: its pods would not start`,
    { fix: `set ${empty.length === 1 ? 'it' : 'them'} in ${plan.settingsAt}` },
  );
}

function replicas(options: DeployOptions): { replicas?: number } {
  return options.replicas === undefined ? {} : { replicas: options.replicas };
}

async function loadImage(
  loader: ImageLoader,
  engine: ContainerEngine,
  info: EngineInfo | undefined,
  image: string,
  options: DeployOptions,
): Promise<DeployOutcome['load']> {
  // An --image the engine does not hold may already be in a registry the nodes pull from.
  if (options.image && !(await engine.inspectImage(image))) {
    options.onStage?.('load', `${image} is not in the local engine; the nodes must pull it`);
    return undefined;
  }
  options.onStage?.('load', `${image} → ${loader.description}`);
  const result = await loader.load(image, engine);
  if (loader.kind !== 'registry') return { via: loader.description, loaded: result.loaded };
  // What a registry holds besides the image is worth saying: here, no attestations.
  const attestations = attestationNote(image, info ?? { kind: engine.kind, serverVersion: undefined });
  options.onStage?.('load', attestations);
  return { via: loader.description, loaded: result.loaded, attestations };
}

import { join } from 'node:path';
import type { ProjectModel } from '../analyze/model.js';
import { buildLayout } from './common.js';
import { dockerfile } from './dockerfile.js';
import { dockerignore } from './dockerignore.js';
import { configMap, secretExample } from './k8s/configmap.js';
import { deployment } from './k8s/deployment.js';
import { BASE, baseKustomization, localOverlay, productionOverlay } from './k8s/kustomize.js';
import { networkPolicy } from './k8s/networkpolicy.js';
import { podDisruptionBudget } from './k8s/pdb.js';
import { service } from './k8s/service.js';

/** Generated files by path relative to the project root (forward slashes), keys sorted. */
export type GeneratedFiles = Readonly<Record<string, string>>;

/**
 * Everything `slipway init` writes, from the ProjectModel alone. Pure: no disk, no clock, no
 * environment, so the same model always gives byte-identical files (the committed example output
 * and the snapshot tests rely on it). The files carry no marker yet; write.ts adds it.
 */
export function generateFiles(model: ProjectModel): GeneratedFiles {
  const baseResources: Record<string, string> = {
    'deployment.yaml': deployment(model),
    'service.yaml': service(model),
    'configmap.yaml': configMap(model),
    'pdb.yaml': podDisruptionBudget(model),
    'networkpolicy.yaml': networkPolicy(model),
  };
  const files: Record<string, string> = {
    Dockerfile: dockerfile(model),
    // A workspace member is built from the workspace root, where a plain .dockerignore would belong
    // to the whole workspace: BuildKit's per-Dockerfile ignore file applies to this image only.
    [model.workspace ? 'Dockerfile.dockerignore' : '.dockerignore']: dockerignore(model),
    [`${BASE}/kustomization.yaml`]: baseKustomization(model, Object.keys(baseResources)),
    [`${BASE}/secret.example.env`]: secretExample(model),
    ...Object.fromEntries(Object.entries(baseResources).map(([name, text]) => [`${BASE}/${name}`, text])),
    ...localOverlay(model),
    ...productionOverlay(model),
  };
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Where to build the image from: the workspace root for a workspace member, else the project. */
export interface BuildContext {
  /** Absolute path of the build context. */
  readonly context: string;
  /** Absolute path of the generated Dockerfile. */
  readonly dockerfile: string;
}

export function buildContext(model: ProjectModel): BuildContext {
  const context = model.workspace ? model.workspace.root : model.root;
  return { context, dockerfile: join(context, buildLayout(model).prefix, 'Dockerfile') };
}

export { imageRef, resourceName, terminationGracePeriod } from './common.js';
export { uvicornCommand } from './dockerfile.js';
export {
  type FilePlan,
  type PlanAction,
  planWrite,
  renderDiff,
  type WriteOptions,
  type WriteResult,
  withMarker,
  writeFiles,
} from './write.js';

import { join, relative, sep } from 'node:path';
import type { ProjectModel } from '../analyze/model.js';
import { ProjectError } from '../errors.js';
import { buildLayout } from './common.js';
import { dockerfile } from './dockerfile.js';
import { dockerignore } from './dockerignore.js';
import { configMap, secretExample } from './k8s/configmap.js';
import { deployment } from './k8s/deployment.js';
import { BASE, baseKustomization, localOverlay, productionOverlay } from './k8s/kustomize.js';
import { migrationJob } from './k8s/migration.js';
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
  const own = model.dockerfile && model.dockerfile.origin !== 'generated' ? model.dockerfile : undefined;
  const baseResources: Record<string, string> = {
    'deployment.yaml': deployment(model),
    'service.yaml': service(model),
    'configmap.yaml': configMap(model),
    'pdb.yaml': podDisruptionBudget(model),
    'networkpolicy.yaml': networkPolicy(model),
  };
  // The migration runs as a Job before new pods serve (see k8s/migration.ts for why not an initContainer).
  const job = migrationJob(model);
  if (job) baseResources['migration.yaml'] = job;
  const files: Record<string, string> = {
    // A Dockerfile of the project's own is kept: slipway writes what it lacks, around it.
    ...(own ? ownIgnore(model, own) : generatedImageFiles(model)),
    [`${BASE}/kustomization.yaml`]: baseKustomization(model, Object.keys(baseResources)),
    [`${BASE}/secret.example.env`]: secretExample(model),
    ...Object.fromEntries(Object.entries(baseResources).map(([name, text]) => [`${BASE}/${name}`, text])),
    ...localOverlay(model),
    ...productionOverlay(model),
  };
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** slipway's Dockerfile and the .dockerignore that goes with it. */
export function generatedImageFiles(model: ProjectModel): Record<string, string> {
  return {
    Dockerfile: dockerfile(model),
    // A workspace member is built from the workspace root, where a plain .dockerignore would belong
    // to the whole workspace: BuildKit's per-Dockerfile ignore file applies to this image only.
    [model.workspace ? 'Dockerfile.dockerignore' : '.dockerignore']: dockerignore(model),
  };
}

const toPosix = (path: string) => path.split(sep).join('/');

/**
 * Beside a Dockerfile of the project's own: the .dockerignore BuildKit reads for it (kept when it
 * exists, so listed at its path), minus the patterns that would drop a file the Dockerfile COPYs.
 * An ignore file outside the project (a workspace root's) is the workspace's business.
 */
function ownIgnore(
  model: ProjectModel,
  own: NonNullable<ProjectModel['dockerfile']>,
): Record<string, string> {
  const path = toPosix(relative(model.root, own.ignoreFile));
  if (path.startsWith('..')) return {};
  const copied = new Set(
    (own.image?.copies ?? []).flatMap((src) => src.replace(/^\.\//, '').split('/').filter(Boolean)),
  );
  const lines = dockerignore(model)
    .split('\n')
    .filter((line) => {
      const last = line.replace(/^\*\*\//, '');
      return line.startsWith('#') || !copied.has(last);
    });
  return { [path]: lines.join('\n') };
}

/** Where to build the image from: the workspace root for a workspace member, else the project. */
export interface BuildContext {
  /** Absolute path of the build context. */
  readonly context: string;
  /** Absolute path of the generated Dockerfile. */
  readonly dockerfile: string;
}

/**
 * Where to build from and which Dockerfile: the project's own when it has one (from the context
 * its compose file or its COPY lines say), else slipway's. Several Dockerfiles and nothing saying
 * which one builds the app: ProjectError listing them (exit 2).
 */
export function buildContext(model: ProjectModel): BuildContext {
  const choice = model.dockerfile;
  if (choice?.origin === 'ambiguous') {
    throw new ProjectError(
      `${model.root} has several Dockerfiles and nothing says which one builds the app: ${choice.candidates.join(', ')}`,
      {
        fix: `name it in pyproject.toml: [tool.slipway] dockerfile = "${choice.candidates[0]}" (or in your compose file's build.dockerfile)`,
      },
    );
  }
  if (choice?.origin === 'own') return { context: choice.context, dockerfile: choice.path };
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

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ProjectModel } from '../analyze/model.js';
import { findDockerfiles } from '../dockerfile/discover.js';
import { EnvironmentError } from '../errors.js';
import { findHelm, HELM_FIX, projectCharts } from '../kube/helm.js';
import { chartManifestSet } from '../kube/helm-chart.js';
import {
  type KustomizeRenderer,
  OFFLINE_FALLBACK,
  type RenderedOverlay,
  renderOverlay,
} from '../kube/kustomize/overlay.js';
import { entryPoints, sourceFiles } from '../kube/kustomize/tree.js';
import {
  located,
  type ManifestObject,
  manifestSet,
  parseManifestFile,
  record,
  type YamlOrigin,
} from '../kube/objects.js';
import type { PodSecurityLevel } from '../kube/pod-security-level.js';
import { checkFiles } from './runner.js';
import type { CheckReport, LockState, ManifestSet, SourceFile } from './types.js';

export interface CheckProjectOptions {
  /** Enables the rules that compare the files with the app (routes, settings, port, uid). */
  readonly model?: ProjectModel;
  readonly lock?: LockState;
  /**
   * Who renders Kustomize overlays: `kubectl kustomize` (every feature), the built-in subset, or
   * kubectl when it is on PATH and the built-in renderer otherwise.
   * @default 'auto'
   */
  readonly renderer?: KustomizeRenderer;
  /** Manifests folder relative to the project. @default 'deploy/k8s' */
  readonly manifestsDir?: string;
  /** Kubernetes version (MAJOR.MINOR) whose Pod Security Standards apply. @default '1.35' */
  readonly kubeVersion?: string;
  /**
   * The Pod Security level that judges every pod, over the enforce labels of the Namespace
   * objects. @default each namespace's label, else 'restricted'
   */
  readonly podSecurityLevel?: PodSecurityLevel;
}

const MANIFESTS_DIR = 'deploy/k8s';

/** Reads the project's Dockerfile(s), .dockerignore and manifests (overlays rendered) and checks them. */
export async function checkProject(dir: string, options: CheckProjectOptions = {}): Promise<CheckReport> {
  const rel = (path: string) => relative(dir, path).split(sep).join('/');
  const read = (path: string): SourceFile => ({ path: rel(path), text: readFileSync(path, 'utf8') });
  // Every Dockerfile of the project is checked (api.Dockerfile, docker/…); the one that builds the
  // app comes first, as the rules that compare it with the manifests read the first one.
  const chosen = options.model?.dockerfile;
  const paths = [
    ...(chosen && chosen.origin !== 'ambiguous' && existsSync(chosen.path) ? [chosen.path] : []),
    ...findDockerfiles(dir).map((path) => join(dir, path)),
  ];
  const dockerfiles = [...new Set(paths)].map(read);
  // BuildKit prefers <Dockerfile>.dockerignore next to the Dockerfile (workspace members use it).
  const ignoreFile = [
    ...(chosen?.origin === 'own' ? [chosen.ignoreFile] : []),
    join(dir, 'Dockerfile.dockerignore'),
    join(dir, '.dockerignore'),
  ].find((file) => existsSync(file));
  const notes: string[] = [];
  const rendered = await readManifests(
    dir,
    options.manifestsDir ?? MANIFESTS_DIR,
    options.renderer ?? 'auto',
    rel,
    notes,
  );
  const charts = await readCharts(dir, rendered.length > 0, rel, notes, options.kubeVersion);
  const level = options.podSecurityLevel;
  const all = [...rendered, ...charts];
  const manifests = level ? all.map((set) => ({ ...set, podSecurityLevel: level })) : all;
  const report = checkFiles({
    dockerfiles,
    ...(ignoreFile ? { dockerignore: read(ignoreFile) } : {}),
    manifests,
    ...(options.model ? { model: options.model } : {}),
    ...(options.lock ? { lock: options.lock } : {}),
    ...(options.kubeVersion ? { kubeVersion: options.kubeVersion } : {}),
  });
  // The offline fallback is labelled wherever it judged.
  return notes.length > 0 ? { ...report, notes: [...(report.notes ?? []), ...notes] } : report;
}

const prefetched = new Map<string, Promise<RenderedOverlay>>();

/**
 * Starts rendering a project's overlays (real kustomize) before its analysis, so that the two
 * overlap: `slipway check` waits for the slower, not for both. The render is taken once, by the
 * check of the same overlay; nothing else reads it.
 */
export function prefetchOverlays(dir: string, manifestsDir: string = MANIFESTS_DIR): void {
  const root = join(dir, manifestsDir);
  if (!existsSync(root)) return;
  for (const entry of entryPoints(root)) {
    const render = renderOverlay(entry, 'auto');
    // Taken (and its failure reported) by readManifests; unhandled only if never taken.
    render.catch(() => undefined);
    prefetched.set(entry, render);
  }
}

function takePrefetched(entry: string, renderer: KustomizeRenderer): Promise<RenderedOverlay> | undefined {
  const render = renderer === 'auto' ? prefetched.get(entry) : undefined;
  prefetched.delete(entry);
  return render;
}

async function readManifests(
  dir: string,
  manifestsDir: string,
  renderer: KustomizeRenderer,
  rel: (path: string) => string,
  notes: string[],
): Promise<ManifestSet[]> {
  const root = join(dir, manifestsDir);
  if (!existsSync(root)) return [];
  const entries = entryPoints(root);
  if (entries.length === 0) {
    const files = yamlFiles(root).map((file) => ({ path: rel(file), text: readFileSync(file, 'utf8') }));
    return [manifestSet(rel(root), files)];
  }
  // Each overlay is its own kustomize process: they render side by side (a kubectl start is
  // most of a render), and are reported in their order.
  const rendered = await Promise.all(
    entries.map((entry) => takePrefetched(entry, renderer) ?? renderOverlay(entry, renderer)),
  );
  return entries.map((entry, i) => {
    const { objects, renderedBy } = rendered[i] as (typeof rendered)[number];
    if (renderedBy === OFFLINE_FALLBACK) notes.push(`${rel(entry)} rendered with ${renderedBy}`);
    const origins = sourceFiles(entry).flatMap((file) =>
      parseManifestFile({ path: rel(file), text: readFileSync(file, 'utf8') }),
    );
    return { name: rel(entry), objects: objects.map((object) => withOrigins(object, origins)) };
  });
}

/**
 * The project's Helm charts (deploy/helm/<name>/), rendered with real `helm template`. Without
 * helm a chart cannot be read: exit 2 naming the fix, unless deploy/k8s was checked, and then
 * the chart is skipped with a note.
 */
async function readCharts(
  dir: string,
  haveKustomize: boolean,
  rel: (path: string) => string,
  notes: string[],
  kubeVersion: string | undefined,
): Promise<ManifestSet[]> {
  const charts = projectCharts(dir);
  if (charts.length === 0) return [];
  const helm = await findHelm();
  if (!helm) {
    const shown = charts.map(rel).join(', ');
    if (haveKustomize) {
      notes.push(`${shown} not checked: helm not found (${HELM_FIX})`);
      return [];
    }
    throw new EnvironmentError(
      `helm not found (HELM unset, no helm on PATH): it renders ${shown} to check it`,
      {
        fix: HELM_FIX,
      },
    );
  }
  const sets: ManifestSet[] = [];
  for (const chart of charts) {
    sets.push(
      await chartManifestSet(helm, chart, { shown: rel(chart), ...(kubeVersion ? { kubeVersion } : {}) }),
    );
  }
  return sets;
}

function yamlFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * A rendered object carries no file or line; the YAML documents of the same kind and name (the
 * resource, then the patches) are where its fields were written, so findings point there.
 */
function withOrigins(object: Record<string, unknown>, origins: readonly YamlOrigin[]): ManifestObject {
  const name = record(object.metadata)?.name;
  const matching = origins.filter((origin) => {
    const value = record(origin.document.toJS() as unknown);
    return value?.kind === object.kind && record(value?.metadata)?.name === name;
  });
  if (matching.length === 0) {
    // A name changed by a prefix or suffix: fall back to the one document of that kind.
    const sameKind = origins.filter(
      (origin) => record(origin.document.toJS() as unknown)?.kind === object.kind,
    );
    return located(object, sameKind.length === 1 ? sameKind : []);
  }
  return located(object, matching);
}

/** Checks an analyzed project: its files against each other and against the app. */
export function checkModel(
  model: ProjectModel,
  options: Pick<CheckProjectOptions, 'kubeVersion' | 'podSecurityLevel'> = {},
): Promise<CheckReport> {
  return checkProject(model.root, {
    ...options,
    model,
    lock: {
      fresh: model.lock.fresh,
      path: relative(model.root, model.lock.path) || 'uv.lock',
      detail: model.lock.problems.join('; '),
    },
  });
}

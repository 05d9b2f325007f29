import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { ProjectError } from '../../errors.js';
import { list, record } from '../objects.js';
import { schemaFor, strategicMerge } from './merge-patch.js';
import { type Kustomization, patchFiles, readKustomization, resourcePaths } from './tree.js';

type K8s = Record<string, unknown>;

// The Kustomize fields this renderer implements. Anything else is refused by name rather than
// silently ignored, since a check of objects other than the deployed ones would mislead.
const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'resources',
  'patches',
  'patchesStrategicMerge',
  'images',
  'namespace',
  'labels',
  'commonLabels',
  'replicas',
]);

export function readObjects(file: string): K8s[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => record(document.toJS() as unknown))
    .filter((value): value is K8s => value !== undefined);
}

/** Renders a kustomization folder with the subset of Kustomize that slipway's generator uses. */
export function renderKustomization(dir: string): K8s[] {
  const k = readKustomization(dir);
  const unsupported = Object.keys(k.spec).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) {
    throw new ProjectError(
      `${k.file}: ${unsupported.join(', ')} is not supported by slipway's built-in Kustomize renderer`,
      {
        fix: 'install kubectl (slipway check renders with `kubectl kustomize` when it is on PATH)',
      },
    );
  }
  const { dirs, files } = resourcePaths(k);
  let objects = [...dirs.flatMap(renderKustomization), ...files.flatMap(readObjects)];
  objects = applyPatches(k, objects);
  if (typeof k.spec.namespace === 'string')
    objects = objects.map((o) => withNamespace(o, k.spec.namespace as string));
  for (const entry of list(k.spec.labels).map(record)) {
    const pairs = record(entry?.pairs) ?? {};
    const selectors = entry?.includeSelectors === true;
    objects = objects.map((o) =>
      withLabels(o, pairs, selectors, selectors || entry?.includeTemplates === true),
    );
  }
  const common = record(k.spec.commonLabels);
  if (common) objects = objects.map((o) => withLabels(o, common, true, true));
  for (const entry of list(k.spec.replicas).map(record)) {
    objects = objects.map((o) =>
      metaName(o) === entry?.name && REPLICATED.has(String(o.kind))
        ? { ...o, spec: { ...record(o.spec), replicas: entry?.count } }
        : o,
    );
  }
  for (const image of list(k.spec.images).map(record))
    if (image) objects = objects.map((o) => withImage(o, image));
  return objects;
}

// Kinds with spec.replicas; kustomize's `replicas:` touches no others of the same name.
const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

function metaName(object: K8s): unknown {
  return record(object.metadata)?.name;
}

function applyPatches(k: Kustomization, objects: K8s[]): K8s[] {
  const inline = list(k.spec.patches)
    .map(record)
    .filter((p) => typeof p?.patch === 'string')
    .map((p) => ({
      docs: parseAllDocuments(String(p?.patch)).map((d) => d.toJS() as unknown),
      target: record(p?.target),
    }));
  const fromFiles = patchFiles(k).map((file) => ({
    docs: readObjects(file) as unknown[],
    target: undefined,
    file,
  }));
  let out = objects;
  for (const { docs, target } of [...fromFiles, ...inline]) {
    for (const doc of docs) {
      const patch = record(doc);
      if (!patch) {
        throw new ProjectError(
          `${k.file}: JSON 6902 patches are not supported by slipway's built-in Kustomize renderer`,
          {
            fix: 'write the patch as a strategic-merge patch, or install kubectl',
          },
        );
      }
      let matched = false;
      out = out.map((object) => {
        const hit = target
          ? (target.kind === undefined || target.kind === object.kind) &&
            (target.name === undefined || target.name === metaName(object))
          : patch.kind === object.kind && metaName(patch) === metaName(object);
        if (!hit) return object;
        matched = true;
        const merged = strategicMerge(
          object,
          target ? { ...patch, metadata: object.metadata } : patch,
          schemaFor(String(object.apiVersion), String(object.kind)),
        );
        return merged as K8s;
      });
      if (!matched) {
        throw new ProjectError(
          `${k.file}: a patch targets ${String(patch.kind)}/${String(metaName(patch))}, which no resource defines`,
          {
            fix: `correct the patch's kind and metadata.name in ${k.dir}`,
          },
        );
      }
    }
  }
  return out;
}

function withNamespace(object: K8s, namespace: string): K8s {
  if (object.kind === 'Namespace') return object;
  return { ...object, metadata: { ...record(object.metadata), namespace } };
}

const SELECTOR_PATHS: Record<string, string[][]> = {
  Deployment: [['spec', 'selector', 'matchLabels']],
  StatefulSet: [['spec', 'selector', 'matchLabels']],
  DaemonSet: [['spec', 'selector', 'matchLabels']],
  ReplicaSet: [['spec', 'selector', 'matchLabels']],
  Service: [['spec', 'selector']],
  PodDisruptionBudget: [['spec', 'selector', 'matchLabels']],
  NetworkPolicy: [['spec', 'podSelector', 'matchLabels']],
};
const TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template', 'metadata', 'labels'],
  StatefulSet: ['spec', 'template', 'metadata', 'labels'],
  DaemonSet: ['spec', 'template', 'metadata', 'labels'],
  ReplicaSet: ['spec', 'template', 'metadata', 'labels'],
  Job: ['spec', 'template', 'metadata', 'labels'],
};

/** A copy of `object` with `pairs` merged into the map at `path` (created when missing). */
function mergeAt(object: K8s, path: readonly string[], pairs: Record<string, unknown>): K8s {
  const [head, ...rest] = path;
  if (head === undefined) return { ...object, ...pairs };
  return { ...object, [head]: mergeAt(record(object[head]) ?? {}, rest, pairs) };
}

function withLabels(
  object: K8s,
  pairs: Record<string, unknown>,
  selectors: boolean,
  templates: boolean,
): K8s {
  let out = mergeAt(object, ['metadata', 'labels'], pairs);
  const kind = String(object.kind);
  if (selectors) for (const path of SELECTOR_PATHS[kind] ?? []) out = mergeAt(out, path, pairs);
  const template = TEMPLATE_PATHS[kind];
  if (templates && template) out = mergeAt(out, template, pairs);
  return out;
}

/** `images: [{name, newName, newTag, digest}]` on every container whose image repository is `name`. */
function withImage(object: K8s, image: Record<string, unknown>): K8s {
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    const map = record(value);
    if (!map) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(map)) out[key] = rewrite(child);
    if (typeof map.image === 'string' && typeof map.name === 'string') {
      const [repository = '', tag] = splitImage(map.image);
      if (repository === image.name) {
        const name = typeof image.newName === 'string' ? image.newName : repository;
        out.image =
          typeof image.digest === 'string'
            ? `${name}@${image.digest}`
            : `${name}${typeof image.newTag === 'string' ? `:${image.newTag}` : tag ? `:${tag}` : ''}`;
      }
    }
    return out;
  };
  return rewrite(object) as K8s;
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const slash = base.lastIndexOf('/');
  const colon = base.indexOf(':', slash + 1);
  return colon >= 0 ? [base.slice(0, colon), base.slice(colon + 1)] : [base, undefined];
}

import { Document } from 'yaml';
import type { ProjectModel } from '../../analyze/model.js';
import { resourceName } from '../common.js';

/** Shared pieces of the Kubernetes objects: names, labels and the YAML writer. */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Stable YAML with an optional leading comment; no line folding, so diffs stay line-per-field. */
export function toYaml(value: Json, comment?: string): string {
  const doc = new Document(value);
  if (comment) doc.commentBefore = comment.replace(/^/gm, ' ').replace(/^ $/gm, '');
  return doc.toString({ lineWidth: 0 });
}

/** The two labels the selectors use. They never change for a given app, as selectors must not. */
export function selectorLabels(model: ProjectModel): Record<string, string> {
  const name = resourceName(model);
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
}

/** The recommended app.kubernetes.io labels, on every object and on the pods. */
export function commonLabels(model: ProjectModel): Record<string, string> {
  return {
    ...selectorLabels(model),
    'app.kubernetes.io/version': labelValue(model.version),
    'app.kubernetes.io/component': 'api',
    'app.kubernetes.io/part-of': partOf(model),
    'app.kubernetes.io/managed-by': 'slipway',
  };
}

/** A workspace member is part of the workspace's system; a lone project is its own. */
function partOf(model: ProjectModel): string {
  if (!model.workspace) return resourceName(model);
  const root = model.workspace.root.split(/[\\/]/).filter(Boolean).pop() ?? resourceName(model);
  return labelValue(root.toLowerCase());
}

/** Label values: at most 63 of [A-Za-z0-9_.-], starting and ending alphanumeric. */
function labelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

export function metadata(model: ProjectModel, name = resourceName(model)): Json {
  return { name, labels: commonLabels(model) };
}

export function configMapName(model: ProjectModel): string {
  return `${resourceName(model)}-config`;
}

export function secretName(model: ProjectModel): string {
  return `${resourceName(model)}-secrets`;
}

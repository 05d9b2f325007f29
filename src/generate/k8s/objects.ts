import { Document, isMap, isScalar, parse } from 'yaml';
import type { ProjectModel } from '../../analyze/model.js';
import { resourceName } from '../common.js';

/** Shared pieces of the Kubernetes objects: names, labels and the YAML writer. */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface YamlOptions {
  /** A map whose values must stay strings for every YAML reader (a ConfigMap's data). */
  readonly stringMap?: readonly string[];
  /** A comment above some keys of one map. */
  readonly notes?: { readonly path: readonly string[]; readonly byKey: ReadonlyMap<string, string> };
}

/**
 * Stable YAML with an optional leading comment; no line folding, so diffs stay line-per-field.
 * The values of `stringMap` are quoted whenever a YAML 1.1 reader (the Kubernetes API machinery)
 * would take them for something else: `yes`, `on`, `2_000`, `1:20` are strings there too.
 */
export function toYaml(value: Json, comment?: string, options: YamlOptions = {}): string {
  const doc = new Document(value);
  if (comment) doc.commentBefore = comment.replace(/^/gm, ' ').replace(/^ $/gm, '');
  const strings = options.stringMap ? doc.getIn(options.stringMap, true) : undefined;
  if (isMap(strings)) {
    for (const item of strings.items) {
      if (isScalar(item.value) && typeof item.value.value === 'string' && !stringIn11(item.value.value)) {
        item.value.type = 'QUOTE_DOUBLE';
      }
    }
  }
  const noted = options.notes ? doc.getIn(options.notes.path, true) : undefined;
  if (isMap(noted) && options.notes) {
    for (const item of noted.items) {
      const note = isScalar(item.key) ? options.notes.byKey.get(String(item.key.value)) : undefined;
      if (note && isScalar(item.key)) item.key.commentBefore = ` ${note}`;
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** Whether a plain scalar reads back as this same string under YAML 1.1. */
function stringIn11(text: string): boolean {
  try {
    return parse(text, { version: '1.1' }) === text && parse(text) === text;
  } catch {
    return false;
  }
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

import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { ProjectError } from '../errors.js';
import type { Location, SourceFile } from '../result.js';
import type { PodSecurityLevel } from './pod-security-level.js';

export type FieldPath = readonly (string | number)[];

/** A parsed YAML document and where it came from, for line numbers and suppression comments. */
export interface YamlOrigin {
  readonly file: string;
  /** The whole file, for suppression comments. */
  readonly text: string;
  readonly document: Document;
  readonly lines: LineCounter;
  /** 1-based line of the document's first node (after its leading comments). */
  readonly line: number;
  /** 1-based line where the document starts, leading comments included. */
  readonly startLine: number;
}

/** One Kubernetes object after rendering, with the YAML documents it was made from. */
export interface ManifestObject {
  readonly value: Record<string, unknown>;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** The document that defines the object, then patches applied to it, in order. */
  readonly origins: readonly YamlOrigin[];
}

/** Parses plain manifest files (no Kustomize) into one set; a YAML error is a ProjectError. */
export function manifestSet(
  name: string,
  files: readonly SourceFile[],
  options: { readonly podSecurityLevel?: PodSecurityLevel | undefined } = {},
): ManifestSet {
  return {
    name,
    objects: files.flatMap((file) => parseManifestFile(file).map((origin) => fromOrigin(origin))),
    ...(options.podSecurityLevel ? { podSecurityLevel: options.podSecurityLevel } : {}),
  };
}

export function parseManifestFile(file: SourceFile): YamlOrigin[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(file.text, { lineCounter: lines, keepSourceTokens: true });
  if (!Array.isArray(documents)) return [];
  const out: YamlOrigin[] = [];
  // yaml's document range starts at its contents; the leading comments lie between the end of
  // the previous document and there.
  let previousEnd = 0;
  for (const document of documents) {
    const start = previousEnd;
    previousEnd = document.range[2];
    const error = document.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      throw new ProjectError(
        `${file.path}${at ? `:${at.line}` : ''}: invalid YAML: ${error.message.split('\n')[0]}`,
        {
          fix: `correct the YAML syntax of ${file.path}`,
        },
      );
    }
    if (!document.contents || (isScalar(document.contents) && document.contents.value === null)) continue;
    const first = document.contents.range?.[0] ?? 0;
    out.push({
      file: file.path,
      text: file.text,
      document,
      lines,
      line: lines.linePos(first).line,
      startLine: lines.linePos(start).line,
    });
  }
  return out;
}

export function fromOrigin(origin: YamlOrigin, value?: Record<string, unknown>): ManifestObject {
  const json = value ?? (origin.document.toJS() as unknown);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ProjectError(`${origin.file}:${origin.line}: expected a Kubernetes object (a mapping)`, {
      fix: `make each YAML document in ${origin.file} one object with apiVersion, kind and metadata`,
    });
  }
  return located(json as Record<string, unknown>, [origin]);
}

export function located(value: Record<string, unknown>, origins: readonly YamlOrigin[]): ManifestObject {
  const metadata = record(value.metadata);
  return {
    value,
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
    kind: typeof value.kind === 'string' ? value.kind : '',
    name: typeof metadata?.name === 'string' ? metadata.name : '',
    origins,
  };
}

/**
 * Where a field of the final object is written: the origin (a patch wins over the base) that
 * holds the longest prefix of the path. List items are matched by `name` when they have one, since
 * a patch lists containers in its own order.
 */
export function locate(
  object: ManifestObject,
  path: FieldPath,
): Location & { line: number; scopeLine: number } {
  let best: { origin: YamlOrigin; depth: number; offset: number } | undefined;
  for (const origin of [...object.origins].reverse()) {
    const found = walk(origin.document.contents, object.value, path);
    if (!best || found.depth > best.depth) best = { origin, ...found };
  }
  const origin = best?.origin ?? object.origins[0];
  if (!origin) return { file: '', line: 1, scopeLine: 1 };
  const line = best && best.offset >= 0 ? origin.lines.linePos(best.offset).line : origin.line;
  return { file: origin.file, line, scopeLine: origin.startLine };
}

function walk(node: unknown, value: unknown, path: FieldPath): { depth: number; offset: number } {
  let current = node as Node | null | undefined;
  let currentValue = value;
  let offset = current?.range?.[0] ?? -1;
  let depth = 0;
  for (const key of path) {
    let next: unknown;
    if (typeof key === 'number' && isSeq(current)) {
      const item = Array.isArray(currentValue) ? (currentValue[key] as unknown) : undefined;
      const name = record(item)?.name;
      next =
        typeof name === 'string'
          ? (current.items.find((entry) => isMap(entry) && entry.get('name') === name) ?? undefined)
          : current.items[key];
      currentValue = item;
    } else if (typeof key === 'string' && isMap(current)) {
      const pair = current.items.find((entry) => isScalar(entry.key) && entry.key.value === key);
      if (pair) {
        // The key's line, not the value's: a nested mapping's value starts on the next line.
        offset = (pair.key as Node).range?.[0] ?? offset;
        depth += 1;
        current = pair.value as Node | null;
        currentValue = record(currentValue)?.[key];
        continue;
      }
    }
    if (!next) break;
    current = next as Node;
    currentValue = typeof key === 'number' ? currentValue : record(currentValue)?.[key];
    offset = current.range?.[0] ?? offset;
    depth += 1;
  }
  return { depth, offset };
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `Deployment/api` — how findings and evidence name an object. */
export function describe(object: ManifestObject): string {
  return `${object.kind || '<no kind>'}/${object.name || '<no name>'}`;
}

/**
 * The final objects of one deployment target: a rendered Kustomize overlay, or the plain manifest
 * files of a folder. Cross-object rules (a Service and the pods it selects) look within one set.
 */
export interface ManifestSet {
  /** What was rendered, e.g. `deploy/k8s/overlays/production`; shown in evidence. */
  readonly name: string;
  readonly objects: readonly ManifestObject[];
  /**
   * The Pod Security level that judges every pod of the set (`--pod-security-level`), over the
   * enforce labels of its Namespace objects. @default each namespace's label, else 'restricted'
   */
  readonly podSecurityLevel?: PodSecurityLevel;
}

import { Document, isScalar, isSeq, parse, visit } from 'yaml';
import type { Json } from '../k8s/objects.js';

/**
 * The compose file as text: stable key order as built, no line folding, and every string that a
 * YAML 1.1 reader would take for something else (`10001:10001`, `yes`, `0755`) double-quoted, so
 * every compose implementation reads the same values.
 */
export function composeYaml(value: Json, comment: string): string {
  const doc = new Document(value);
  doc.commentBefore = comment.replace(/^/gm, ' ').replace(/^ $/gm, '');
  visit(doc, {
    Pair(_key, pair) {
      // Commands and short lists read best on one line, as compose files are usually written.
      if (isScalar(pair.key) && FLOW.has(String(pair.key.value)) && isSeq(pair.value)) pair.value.flow = true;
    },
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && !plainIn11(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

const FLOW = new Set(['test', 'entrypoint', 'tmpfs', 'cap_drop', 'security_opt', 'env_file']);

function plainIn11(text: string): boolean {
  try {
    return parse(text, { version: '1.1' }) === text && parse(text) === text;
  } catch {
    return false;
  }
}

/** A value written as it is: compose reads `$` as interpolation, `$$` as a literal dollar. */
export const literal = (value: string): string => value.replaceAll('$', '$$$$');

/** `${NAME:?message}`: compose refuses to run, naming NAME, while it is unset or empty. */
export const required = (name: string, message: string): string => `\${${name}:?${message}}`;

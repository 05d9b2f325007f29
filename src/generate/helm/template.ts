import { type Json, toYaml } from '../k8s/objects.js';

/**
 * Helm templates from plain Kubernetes objects: a value in the object tree can be a slot, a token
 * that the YAML writer prints as a plain scalar (`key: SLIPWAY-SLOT-3`); after writing, each slot
 * line becomes template text. So a template is the Kustomize base's object with a few values
 * opened up, written by the same YAML writer, and cannot drift from it anywhere else.
 */

export type Slot =
  /** `key: {{ expr }}` */
  | { readonly kind: 'scalar'; readonly expr: string }
  /** `key:` then the value's YAML from toYaml, indented under the key. */
  | { readonly kind: 'block'; readonly expr: string }
  /** The whole `key: …` line replaced by lines of template text, given the key's indentation. */
  | { readonly kind: 'lines'; readonly render: (indent: string, key: string) => string };

const TOKEN = 'SLIPWAY-SLOT-';
const SLOT_LINE = /^( *)((?:- )?)([A-Za-z0-9_./-]+): SLIPWAY-SLOT-(\d+)$/;

export class TemplateWriter {
  private readonly slots: Slot[] = [];

  /** A placeholder for the object tree; rendered as the slot says. */
  slot(slot: Slot): string {
    this.slots.push(slot);
    return `${TOKEN}${this.slots.length - 1}`;
  }

  /** The template text of one object, with an optional leading comment. */
  render(object: Json, comment?: string): string {
    const used = new Set<number>();
    const lines = toYaml(object, comment)
      .split('\n')
      .map((line) => {
        const match = SLOT_LINE.exec(line);
        if (!match) return line;
        const [, spaces = '', dash = '', key = '', index = ''] = match;
        const slot = this.slots[Number(index)];
        if (!slot) throw new Error(`unknown template slot ${index}`);
        used.add(Number(index));
        // The column of the key: under a `- ` the key sits two further in.
        const column = spaces.length + dash.length;
        if (slot.kind === 'scalar') return `${spaces}${dash}${key}: {{ ${slot.expr} }}`;
        if (slot.kind === 'block')
          return `${spaces}${dash}${key}: {{- toYaml ${slot.expr} | nindent ${column + 2} }}`;
        if (dash) throw new Error(`a lines slot cannot open a sequence item (${key})`);
        return slot.render(spaces, key);
      });
    const text = lines.join('\n');
    // A slot the writer did not find (quoted, folded, or left out of the object) is a bug here.
    if (text.includes(TOKEN)) throw new Error(`a template slot was not replaced:\n${text}`);
    return text;
  }
}

/** `key: value` only when the value is set (not null, not empty): a field the base leaves out. */
export function optionalLine(expr: string): Slot {
  return {
    kind: 'lines',
    render: (indent, key) => `{{- with ${expr} }}\n${indent}${key}: {{ . }}\n{{- end }}`,
  };
}

/**
 * A number that may be left out: `with` would drop 0 too (a Deployment scaled to zero), so this
 * tests for null instead.
 */
export function optionalNumber(expr: string): Slot {
  return {
    kind: 'lines',
    render: (indent, key) =>
      `{{- if not (kindIs "invalid" ${expr}) }}\n${indent}${key}: {{ ${expr} }}\n{{- end }}`,
  };
}

/**
 * A map of strings (a ConfigMap's data) from a values map: every value quoted, so `yes`, `8000`
 * and `1.50` stay the strings they are; an empty map stays `{}` as in the base.
 */
export function stringMap(expr: string): Slot {
  return {
    kind: 'lines',
    render: (indent, key) =>
      [
        `${indent}${key}:`,
        `{{- range $name, $value := ${expr} }}`,
        `${indent}  {{ $name }}: {{ toString $value | quote }}`,
        '{{- else }} {}',
        '{{- end }}',
      ].join('\n'),
  };
}

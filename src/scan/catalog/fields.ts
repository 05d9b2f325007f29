/**
 * The RFC 822 style used by both dpkg status files and Python core metadata: `Key: value`,
 * continuation lines start with whitespace, stanzas (dpkg) or the body (METADATA) follow a
 * blank line. Keys may repeat (`Classifier:`), so each key maps to a list.
 */
export type Fields = ReadonlyMap<string, readonly string[]>;

/** Splits a dpkg file into its stanzas. */
export function stanzas(text: string): Fields[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map((block) => headers(block))
    .filter((fields) => fields.size > 0);
}

/** Parses the header block of one stanza (or of a METADATA file, up to its first blank line). */
export function headers(text: string): Fields {
  const fields = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (last) break;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (last && last.length > 0) last[last.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const list = fields.get(key) ?? [];
    list.push(line.slice(colon + 1).trim());
    fields.set(key, list);
    last = list;
  }
  return fields;
}

export function first(fields: Fields, key: string): string | undefined {
  return fields.get(key.toLowerCase())?.[0];
}

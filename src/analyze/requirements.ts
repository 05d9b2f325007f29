import { normalizeMarker } from './markers.js';

/** PEP 503: names compare lower-case with runs of -, _ and . as one -. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A requirement reduced to what uv records in uv.lock's `[package.metadata]`, in one canonical form. */
export interface Requirement {
  readonly name: string;
  readonly extras: readonly string[];
  /** Comma-separated clauses without spaces, sorted: `<1,>=0.100`. */
  readonly specifier: string;
  readonly marker: string;
  readonly url: string | undefined;
}

/** Sorted so that `>=1, <2` and `<2,>=1` compare equal; parentheses (`name (>=1)`) are old syntax. */
export function normalizeSpecifier(specifier: string): string {
  return specifier
    .replace(/^\s*\(|\)\s*$/g, '')
    .split(',')
    .map((part) => part.replace(/\s+/g, ''))
    .filter((part) => part !== '')
    .sort()
    .join(',');
}

/** Parses a PEP 508 string such as `uvicorn[standard]>=0.30; python_version < "3.12"`. */
export function parseRequirement(text: string): Requirement | undefined {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s.exec(text);
  if (!match) return undefined;
  const [, name = '', extras = '', rest = ''] = match;
  let body = rest;
  let marker = '';
  // In a URL requirement the marker needs a space before `;` (PEP 508), as a URL may hold `;`.
  const semicolon = body.startsWith('@') ? body.search(/\s;/) : body.indexOf(';');
  if (semicolon >= 0) {
    marker = body.slice(body.indexOf(';', semicolon) + 1).trim();
    body = body.slice(0, semicolon);
  }
  body = body.trim();
  const url = body.startsWith('@') ? body.slice(1).trim() : undefined;
  return {
    name: normalizeName(name),
    extras: splitExtras(extras),
    specifier: url === undefined ? normalizeSpecifier(body) : '',
    marker: marker === '' ? '' : normalizeMarker(marker),
    url,
  };
}

export function splitExtras(extras: string | readonly string[]): string[] {
  const list = typeof extras === 'string' ? extras.split(',') : [...extras];
  return list
    .map((extra) => normalizeName(extra.trim()))
    .filter((extra) => extra !== '')
    .sort();
}

export function formatRequirement(req: Requirement): string {
  const extras = req.extras.length > 0 ? `[${req.extras.join(',')}]` : '';
  const version = req.url !== undefined ? ` @ ${req.url}` : req.specifier;
  return `${req.name}${extras}${version}${req.marker ? `; ${req.marker}` : ''}`;
}

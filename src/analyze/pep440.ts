import { satisfies, validRange } from '@renovatebot/pep440';

/**
 * PEP 440 questions the analyzer asks about requires-python, answered by a real PEP 440 library:
 * does a version satisfy a specifier set, and do two specifier sets allow the same versions.
 */

/** A comma-separated specifier set as a predicate; undefined when the set is not valid PEP 440. */
export function parseSpecifiers(specifiers: string): ((version: string) => boolean) | undefined {
  if (!validRange(specifiers)) return undefined;
  return (version) => satisfies(version, specifiers);
}

// Versions a requires-python can tell apart in practice: 2.x to 4.x, minors and patches up to 40.
const PROBES: string[] = [];
for (let major = 2; major <= 4; major++) {
  for (let minor = 0; minor <= 40; minor++) {
    PROBES.push(`${major}.${minor}`);
    for (let patch = 1; patch <= 40; patch++) PROBES.push(`${major}.${minor}.${patch}`);
  }
}

/**
 * Whether two requires-python sets allow the same versions. uv rewrites them when it locks
 * (`~=3.11` becomes `>=3.11, <4`), so the text cannot be compared; sampled versions can.
 * Falls back to comparing the text when either set is not valid PEP 440.
 */
export function sameVersionSet(a: string, b: string): boolean {
  const left = parseSpecifiers(a);
  const right = parseSpecifiers(b);
  if (!left || !right) return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
  return PROBES.every((version) => left(version) === right(version));
}

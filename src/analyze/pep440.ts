import { filter, satisfies, validRange } from '@renovatebot/pep440';

/**
 * PEP 440 questions the analyzer asks about requires-python, answered by a real PEP 440 library:
 * does a version satisfy a specifier set, and do two specifier sets allow the same versions.
 */

/** A comma-separated specifier set as a predicate; undefined when the set is not valid PEP 440. */
export function parseSpecifiers(specifiers: string): ((version: string) => boolean) | undefined {
  if (!validRange(specifiers)) return undefined;
  return (version) => satisfies(version, specifiers);
}

// A coarse grid of releases, so that sets without a common boundary are still told apart.
const GRID: string[] = [];
for (let major = 2; major <= 4; major++) {
  for (let minor = 0; minor <= 40; minor++) GRID.push(`${major}.${minor}`);
}

/**
 * Versions at which two specifier sets can differ: every version either names, each with every
 * component bumped (the next release of a `~=` or `.*` clause) and lowered, and with a patch
 * after it. A specifier set only changes its answer at such boundaries, so agreeing on these
 * (and the grid) means agreeing everywhere a real interpreter version can fall.
 */
function probes(a: string, b: string): string[] {
  const out = new Set(GRID);
  for (const text of `${a} ${b}`.match(/\d+(?:\.\d+)*/g) ?? []) {
    const parts = text.split('.').map(Number);
    out.add(text);
    out.add(`${text}.1`);
    parts.forEach((part, index) => {
      const head = parts.slice(0, index);
      out.add([...head, part + 1].join('.'));
      if (part > 0) out.add([...head, part - 1].join('.'));
      if (part > 0) out.add([...head, part - 1, 99].join('.'));
    });
  }
  return [...out];
}

/**
 * Whether two requires-python sets allow the same versions. uv rewrites them when it locks
 * (`~=3.11` becomes `>=3.11, <4`), so the text cannot be compared; versions at their
 * boundaries can. Falls back to comparing the text when either set is not valid PEP 440.
 */
export function sameVersionSet(a: string, b: string): boolean {
  const same = (x: string, y: string) => x.replace(/\s+/g, '') === y.replace(/\s+/g, '');
  if (same(a, b)) return true;
  if (!validRange(a) || !validRange(b)) return false;
  const versions = probes(a, b);
  const left = filter(versions, a);
  const right = new Set(filter(versions, b));
  return left.length === right.size && left.every((version) => right.has(version));
}

/**
 * Debian's license short names (the table of the machine-readable copyright format, DEP-5) as
 * SPDX. A name that has no SPDX id (`BSD-3-clause-Berkeley`, `BSLA`, an unversioned `GPL`) gets
 * none: it stays the name Debian wrote, rather than the id it most looks like.
 *
 * DEP-5 expressions: `or` and `and` (with `and` binding tighter, as in SPDX), a comma before
 * `and`/`or` lowering that operator below the others, and `<license> with <name> exception`.
 * DEP-5 short names are case-insensitive: a name that is an SPDX id but for its case
 * (`BSD-4-clause-UC`) takes the id's own spelling (`BSD-4-Clause-UC`).
 */
import { fixupSpdxId } from '@cyclonedx/cyclonedx-library/SPDX';
import parseSpdx from 'spdx-expression-parse';

/** Names whose SPDX id carries no version of its own (lowercase Debian name → SPDX). */
const PLAIN: Readonly<Record<string, string>> = {
  expat: 'MIT',
  mit: 'MIT',
  isc: 'ISC',
  zlib: 'Zlib',
  'bsd-2-clause': 'BSD-2-Clause',
  'bsd-3-clause': 'BSD-3-Clause',
  'bsd-4-clause': 'BSD-4-Clause',
  '0bsd': '0BSD',
  'public-domain': 'LicenseRef-public-domain',
  cc0: 'CC0-1.0',
  // common-licenses/Artistic is the Perl "Artistic License" 1.0; DEP-5 spells Perl's license out.
  artistic: 'Artistic-1.0',
  perl: 'Artistic-1.0-Perl OR GPL-1.0-or-later',
  x11: 'X11',
  curl: 'curl',
  openssl: 'OpenSSL',
  sleepycat: 'Sleepycat',
  w3c: 'W3C',
  fsfap: 'FSFAP',
  fsful: 'FSFUL',
  fsfullr: 'FSFULLR',
  'unicode-dfs-2016': 'Unicode-DFS-2016',
  'bsl-1.0': 'BSL-1.0',
  'ms-pl': 'MS-PL',
  beerware: 'Beerware',
};

/** Families whose id is `<prefix>-<version>`; GNU ones add `-only`/`-or-later`. */
const VERSIONED: Readonly<Record<string, { prefix: string; gnu?: boolean; suffix?: string }>> = {
  gpl: { prefix: 'GPL', gnu: true },
  lgpl: { prefix: 'LGPL', gnu: true },
  agpl: { prefix: 'AGPL', gnu: true },
  gfdl: { prefix: 'GFDL', gnu: true },
  'gfdl-niv': { prefix: 'GFDL', gnu: true, suffix: '-no-invariants' },
  apache: { prefix: 'Apache' },
  artistic: { prefix: 'Artistic' },
  mpl: { prefix: 'MPL' },
  cddl: { prefix: 'CDDL' },
  epl: { prefix: 'EPL' },
  lppl: { prefix: 'LPPL' },
  python: { prefix: 'Python' },
  psf: { prefix: 'PSF' },
  zope: { prefix: 'ZPL' },
  ofl: { prefix: 'OFL' },
  'cc-by': { prefix: 'CC-BY' },
  'cc-by-sa': { prefix: 'CC-BY-SA' },
  'cc-by-nd': { prefix: 'CC-BY-ND' },
  'cc-by-nc': { prefix: 'CC-BY-NC' },
  'cc-by-nc-sa': { prefix: 'CC-BY-NC-SA' },
  'cc-by-nc-nd': { prefix: 'CC-BY-NC-ND' },
  cc0: { prefix: 'CC0' },
};

/** `<license> with <name> exception`: the exceptions SPDX lists under a name Debian uses. */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  bison: 'Bison-exception-2.2',
  'bison-2.2': 'Bison-exception-2.2',
  'autoconf-3.0': 'Autoconf-exception-3.0',
  'gcc-3.1': 'GCC-exception-3.1',
  'gcc runtime library': 'GCC-exception-3.1',
  classpath: 'Classpath-exception-2.0',
  font: 'Font-exception-2.0',
  'linux-syscall-note': 'Linux-syscall-note',
  libtool: 'Libtool-exception',
  texinfo: 'Texinfo-exception',
};

export function isSpdx(expression: string): boolean {
  try {
    parseSpdx(expression);
    return true;
  } catch {
    return false;
  }
}

/** `2` → `2.0`, `2.1` → `2.1`: SPDX spells every version with a minor number (`LPPL-1.3c` too). */
function spdxVersion(version: string, gnu: boolean): string {
  return /^\d+$/.test(version) && (gnu || version !== '0') ? `${version}.0` : version;
}

/** An SPDX license id in any case (`bsd-4-clause-uc`), spelt as SPDX spells it; never an exception. */
function spdxId(name: string): string | undefined {
  if (!/^[A-Za-z0-9.+-]+$/.test(name)) return undefined;
  if (isSpdx(name)) return name;
  const id = fixupSpdxId(name);
  return id && isSpdx(id) ? id : undefined;
}

/** `GFDL-1.3+-no-invariant(s)`, as some packages write GFDL-NIV, in the DEP-5 spelling. */
function gfdlNoInvariants(lower: string): string {
  const match = /^gfdl-(\d(?:\.\d)?)(\+|-or-later|-only)?-no-invariants?$/.exec(lower);
  return match ? `gfdl-niv-${match[1]}${match[2] ?? ''}` : lower;
}

/** One license name, e.g. `GPL-2+`, `LGPL-2.1`, `BSD-3-clause`, `Expat`, `GPL-3.0-or-later`. */
export function spdxOfName(name: string): string | undefined {
  const trimmed = name.trim();
  const lower = gfdlNoInvariants(trimmed.toLowerCase());
  const plain = PLAIN[lower];
  if (plain) return plain;
  const match = /^([a-z][a-z0-9-]*?)-?v?(\d+(?:\.\d+)*[a-z]?)(\+|-or-later|-only)?$/.exec(lower);
  const rule = match ? VERSIONED[match[1] ?? ''] : undefined;
  // Already an SPDX id (`BSD-3-Clause`, `Unicode-3.0`, `bsd-4-clause-uc`).
  if (!match || !rule) return spdxId(trimmed);
  const [, , version = '', plus] = match;
  const later = plus === '+' || plus === '-or-later';
  const id = `${rule.prefix}-${spdxVersion(version, rule.gnu ?? false)}`;
  const spdx = rule.gnu ? `${id}${rule.suffix ?? ''}-${later ? 'or-later' : 'only'}` : later ? `${id}+` : id;
  return isSpdx(spdx) ? spdx : undefined;
}

function withException(term: string): string | undefined {
  const match = /^(.+?)[\s-]+with[\s-]+(.+?)(?:[\s-]+exception)?$/i.exec(term.trim());
  if (!match) return spdxOfName(term);
  const license = spdxOfName(match[1] ?? '');
  // Debian's own names for exceptions first; else an SPDX exception id as written, in any case
  // (`GPL-3.0-or-later-WITH-Autoconf-exception-macro`). A bare name is not widened to an id.
  const named = match[2] ?? '';
  const exception = EXCEPTIONS[named.toLowerCase()] ?? fixupSpdxId(named);
  if (!license || !exception || license.includes(' ')) return undefined;
  const spdx = `${license} WITH ${exception}`;
  return isSpdx(spdx) ? spdx : undefined;
}

function join(parts: readonly string[], operator: 'AND' | 'OR'): string {
  const wrapped = parts.map((p) => (/\s(AND|OR)\s/.test(p) ? `(${p})` : p));
  return wrapped.length === 1 ? (wrapped[0] as string) : wrapped.join(` ${operator} `);
}

function convert(text: string, splits: readonly RegExp[]): string | undefined {
  const [split, ...rest] = splits;
  if (!split) return withException(text);
  const parts = text.split(split).filter((p) => p.trim() !== '');
  const converted = parts.map((p) => convert(p, rest));
  if (converted.some((c) => c === undefined)) return undefined;
  if (converted.length === 1) return converted[0];
  return join(converted as string[], split.source.includes('and') ? 'AND' : 'OR');
}

/**
 * A DEP-5 license expression (`GPL-2+ or Artistic`, `LGPL-2.1+ and BSD-3-clause`,
 * `GPL-1+ or Artistic, and Expat`) as one SPDX expression, or undefined when any name in it
 * has no SPDX id.
 */
export function spdxOfDebian(expression: string): string | undefined {
  const commaAnd = /,\s*and\s+/i;
  const commaOr = /,\s*or\s+/i;
  const spdx = convert(expression.trim(), [commaOr, commaAnd, /\s+or\s+/i, /\s+and\s+/i]);
  // A name alone ("GPL-2") is simple; the pieces are each valid, so the whole is too, but check.
  return spdx && isSpdx(spdx) ? spdx : undefined;
}

/**
 * A package's licenses from the Debian names its copyright file gives: one SPDX expression (the
 * names joined with AND) when every name converts, else each name, as SPDX where it converts
 * and as Debian wrote it where it does not.
 */
export function packageLicenses(names: readonly string[]): string[] {
  const spdx = names.map((name) => spdxOfDebian(name));
  if (spdx.length === 0) return [];
  if (spdx.every((s) => s !== undefined)) return [join([...new Set(spdx as string[])], 'AND')];
  return [...new Set(names.map((name, i) => spdx[i] ?? name))];
}

/**
 * Debian version order, as dpkg implements it (lib/dpkg/version.c, verrevcmp): no npm package
 * is maintained for it, and plain string or semver comparison gets Debian wrong in exactly the
 * cases that matter for security fixes: `1:1.0` > `2.0` (epoch), `2.8.2-1~deb13u1` < `2.8.2-1`
 * (a tilde sorts before everything, even the end), `1.0-1+b1` > `1.0-1` (binNMU).
 */

export interface DebianVersion {
  readonly epoch: number;
  readonly upstream: string;
  readonly revision: string;
}

export function parseDebianVersion(version: string): DebianVersion {
  const trimmed = version.trim();
  const colon = trimmed.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(trimmed.slice(0, colon)) ? Number(trimmed.slice(0, colon)) : 0;
  const rest = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
  const dash = rest.lastIndexOf('-');
  return dash === -1
    ? { epoch, upstream: rest, revision: '' }
    : { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) };
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string) => /^[A-Za-z]$/.test(c);

/** dpkg's character weight: the end and digits 0, letters by code, `~` lowest, others above letters. */
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Non-digit prefixes compare character by character, by weight.
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    // Digit runs compare as numbers: leading zeros do not count, a longer run is larger.
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let firstDiff = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDiff === 0) firstDiff = (a.charCodeAt(i) as number) - (b.charCodeAt(j) as number);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** Negative, zero or positive, as `a` sorts before, equal to or after `b`. */
export function compareDebian(a: string, b: string): number {
  const x = parseDebianVersion(a);
  const y = parseDebianVersion(b);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  return Math.sign(verrevcmp(x.upstream, y.upstream) || verrevcmp(x.revision, y.revision));
}

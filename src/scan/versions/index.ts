/** Version order per OSV ecosystem: PEP 440 for PyPI, dpkg for Debian. */
import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440';
import { compareDebian } from './dpkg.js';

export interface VersionOrder {
  compare(a: string, b: string): number;
  /** Whether the version can be ordered at all; an unordered version matches only by list. */
  valid(version: string): boolean;
}

export const pep440: VersionOrder = {
  compare: (a, b) => Math.sign(comparePep440(a, b)),
  valid: (version) => validPep440(version) !== null,
};

export const dpkg: VersionOrder = {
  compare: compareDebian,
  // dpkg requires the upstream part to start with a digit; OSV's "0" (all versions) passes.
  valid: (version) => /^(\d+:)?\d[A-Za-z0-9.+~:-]*$/.test(version.trim()),
};

export function orderFor(ecosystem: string): VersionOrder | undefined {
  if (ecosystem === 'PyPI') return pep440;
  if (ecosystem === 'Debian' || ecosystem.startsWith('Debian:')) return dpkg;
  return undefined;
}

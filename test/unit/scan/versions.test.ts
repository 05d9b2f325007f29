import { describe, expect, it } from 'vitest';
import { compareDebian, parseDebianVersion } from '../../../src/scan/versions/dpkg.js';
import { dpkg, pep440 } from '../../../src/scan/versions/index.js';

// Each pair is [lower, higher]: the order dpkg --compare-versions gives.
const DPKG_ORDER: [string, string][] = [
  ['1.0', '1.1'],
  ['1.9', '1.10'], // digit runs compare as numbers
  ['1.0', '1:0.1'], // an epoch beats everything after it
  ['1:1.0', '2:0.1'],
  ['1.0~rc1', '1.0'], // a tilde sorts before the end of the string
  ['1.0~~', '1.0~'],
  ['1.0~~a', '1.0~'],
  ['1.0~', '1.0'],
  ['2.8.2-1~deb13u1', '2.8.2-1'], // Debian stable updates sort below the unstable upload
  ['2.8.2-1~deb13u1', '2.9.0-1~deb13u1'],
  ['1.0-1', '1.0-1+b1'], // binNMU
  ['1.0-1', '1.0-1.1'],
  ['1.0-1', '1.0-2'],
  ['1.0-9', '1.0-10'],
  ['1.0a', '1.0b'],
  ['1.0', '1.0a'], // letters sort after the end
  ['1.0+dfsg', '1.0.1'], // both are above letters; '+' (0x2b) sorts before '.' (0x2e)
  ['1.3.dfsg+really1.3.1', '1.3.dfsg+really1.3.2'],
  ['4.16.0-2+really2.41.5-0+deb13u1', '4.17.4-2'],
];

describe('dpkg version order', () => {
  it('parses epoch, upstream and revision (the last hyphen splits)', () => {
    expect(parseDebianVersion('1:4.16.0-2+really2.41.5-0+deb13u1')).toEqual({
      epoch: 1,
      upstream: '4.16.0-2+really2.41.5',
      revision: '0+deb13u1',
    });
    expect(parseDebianVersion('2026f-0+deb13u1')).toEqual({
      epoch: 0,
      upstream: '2026f',
      revision: '0+deb13u1',
    });
    expect(parseDebianVersion('3.6.7')).toEqual({ epoch: 0, upstream: '3.6.7', revision: '' });
  });

  it.each(DPKG_ORDER)('%s < %s', (lower, higher) => {
    expect(compareDebian(lower, higher)).toBeLessThan(0);
    expect(compareDebian(higher, lower)).toBeGreaterThan(0);
  });

  it('treats leading zeros, a 0 epoch and a 0 revision as nothing', () => {
    expect(compareDebian('1.0', '1.0-0')).toBe(0);
    expect(compareDebian('1.01', '1.1')).toBe(0);
    expect(compareDebian('0:1.0-1', '1.0-1')).toBe(0);
  });

  it('knows which strings are Debian versions', () => {
    expect(dpkg.valid('2:6.3.0+dfsg-3')).toBe(true);
    expect(dpkg.valid('0')).toBe(true);
    expect(dpkg.valid('abc')).toBe(false);
  });
});

describe('PEP 440 order (@renovatebot/pep440)', () => {
  const ORDER: [string, string][] = [
    ['3.7', '3.20'], // not string order
    ['1.0.dev1', '1.0a1'], // dev before pre
    ['1.0a1', '1.0b1'],
    ['1.0rc1', '1.0'],
    ['1.0', '1.0.post1'],
    ['1.0.post1', '1.0.1'],
    ['2.0', '1!0.1'], // epoch
    ['0.26.0', '0.26.0.post1'],
    ['0.26.0.post1', '0.26.1'],
  ];
  it.each(ORDER)('%s < %s', (lower, higher) => {
    expect(pep440.compare(lower, higher)).toBe(-1);
    expect(pep440.compare(higher, lower)).toBe(1);
  });

  it('normalizes equal spellings and rejects non-versions', () => {
    expect(pep440.compare('1.0.0', '1.0')).toBe(0);
    expect(pep440.compare('1.0-post1', '1.0.post1')).toBe(0);
    expect(pep440.valid('1.0.post1')).toBe(true);
    expect(pep440.valid('not-a-version')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { cvssRating, cvssScore } from '../../../src/scan/vulns/cvss.js';
import { rate, severityOfScore } from '../../../src/scan/vulns/severity.js';

// Scores as the FIRST calculators (and NVD) give them for these vectors.
const V3: [string, number][] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', 9.1], // h11 GHSA-vqfr-h8mv-ghfj
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L', 5.3], // starlette GHSA-2c2j-9gv5-cj73
  ['CVSS:3.1/AV:L/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:L', 6.9], // expat DEBIAN-CVE-2026-56410
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:L/A:N', 9.3], // scope changed
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4], // PR:L weighs 0.68 when scope changes
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:N/I:N/A:L', 2.5],
  ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', 0],
  ['CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
];

describe('CVSS base scores', () => {
  it.each(V3)('%s = %d', (vector, score) => {
    expect(cvssScore(vector)?.score).toBe(score);
  });

  it('scores v2 vectors', () => {
    expect(cvssScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')?.score).toBe(7.5);
    expect(cvssScore('AV:N/AC:M/Au:N/C:N/I:P/A:N')?.score).toBe(4.3);
  });

  // v4 scores as FIRST's v4.0 calculator gives them (8.7 is GitHub's score for CVE-2024-47874).
  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', 8.7],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0],
  ])('scores v4 %s = %d', (vector, score) => {
    expect(cvssScore(vector)).toEqual({ version: '4.0', vector, score });
  });

  it('keeps to the base score when a vector carries threat or temporal metrics', () => {
    // E:U lowers the v4 CVSS-BT score to 8.1 and the v3 temporal score to 9.0; ratings use base.
    const v4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U';
    expect(cvssScore(v4)?.score).toBe(9.3);
    expect(cvssScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U')?.score).toBe(9.8);
  });

  it.each([
    'CVSS:4.0/AV:N', // incomplete: the library would score the missing metrics as 0
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Q', // unknown value
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/ZZ:1', // unknown metric
    'CVSS:3.1/AV:N/AC:L',
    'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/junk',
    'CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', // no such version; the library reads it as 3.0
    'AV:N/AC:L/Au:N/C:P/I:P',
    'high',
    '',
  ])('leaves the invalid vector %j unscored', (vector) => {
    expect(cvssScore(vector)).toBeUndefined();
  });

  it('rates scores on the v3 scale (v2 has no critical)', () => {
    const v2 = cvssScore('AV:N/AC:L/Au:N/C:C/I:C/A:C');
    expect(v2?.score).toBe(10);
    expect(v2 && severityOfScore(v2)).toBe('high');
    expect(severityOfScore({ version: '3.1', vector: '', score: 9 })).toBe('critical');
    expect(severityOfScore({ version: '3.1', vector: '', score: 3.9 })).toBe('low');
  });

  it('uses FIRST\'s bands, v4 included; a 0.0 score is "none", which the scan shows as low', () => {
    const v4 = (score: number) => ({ version: '4.0', vector: '', score }) as const;
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map((score) => cvssRating(v4(score)))).toEqual([
      'none',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
    expect(severityOfScore(v4(0))).toBe('low');
  });

  const OSV_V4 = {
    type: 'CVSS_V4',
    score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  };
  const OSV_V3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' };

  it('rates a record that gives only a CVSS v4 vector by its v4 score, not its database rating', () => {
    const rating = rate({ id: 'X', severity: [OSV_V4], database_specific: { severity: 'MODERATE' } });
    expect(rating).toMatchObject({ severity: 'critical', source: 'CVSS 4.0 9.3' });
    expect(rating.cvss?.vector).toBe(OSV_V4.score);
  });

  it('prefers the v4 vector over a v3 one in the same record, in either order', () => {
    // v3.1 7.5 (high) next to v4 9.3 (critical): the newest version wins, see bestCvss.
    expect(rate({ id: 'X', severity: [OSV_V3, OSV_V4] })).toMatchObject({
      severity: 'critical',
      source: 'CVSS 4.0 9.3',
    });
    expect(rate({ id: 'X', severity: [OSV_V4, OSV_V3] }).cvss?.version).toBe('4.0');
    // The affected entry's vector and the record's are weighed together.
    const affected = { severity: [OSV_V4] };
    expect(rate({ id: 'X', severity: [OSV_V3] }, affected).cvss?.version).toBe('4.0');
  });

  it('skips an invalid vector for a valid one, and is unknown when none is valid', () => {
    const broken = {
      type: 'CVSS_V4',
      score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Q',
    };
    const valid = {
      type: 'CVSS_V4',
      score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N',
    };
    expect(rate({ id: 'X', severity: [broken, valid] })).toMatchObject({
      severity: 'high',
      source: 'CVSS 4.0 8.7',
    });
    expect(rate({ id: 'X', severity: [broken] }).severity).toBe('unknown');
    expect(rate({ id: 'X', severity: [broken], database_specific: { severity: 'LOW' } }).severity).toBe(
      'low',
    );
  });
});

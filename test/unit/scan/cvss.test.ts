import { describe, expect, it } from 'vitest';
import { cvssScore } from '../../../src/scan/vulns/cvss.js';
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

  it('leaves v4 and broken vectors unscored', () => {
    expect(cvssScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N')).toBeUndefined();
    expect(cvssScore('CVSS:3.1/AV:N/AC:L')).toBeUndefined();
  });

  it('rates scores on the v3 scale (v2 has no critical)', () => {
    const v2 = cvssScore('AV:N/AC:L/Au:N/C:C/I:C/A:C');
    expect(v2?.score).toBe(10);
    expect(v2 && severityOfScore(v2)).toBe('high');
    expect(severityOfScore({ version: '3.1', vector: '', score: 9 })).toBe('critical');
    expect(severityOfScore({ version: '3.1', vector: '', score: 3.9 })).toBe('low');
  });

  it('falls back to the database severity when only CVSS v4 is given, then to unknown', () => {
    const severity = [
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N' },
    ];
    expect(rate({ id: 'X', severity, database_specific: { severity: 'MODERATE' } }).severity).toBe('medium');
    expect(rate({ id: 'X', severity }).severity).toBe('unknown');
  });
});

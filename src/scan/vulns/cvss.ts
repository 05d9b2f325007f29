/**
 * CVSS base scores from vector strings, computed by ae-cvss-calculator (FIRST's formulas for
 * v2, v3.0 and v3.1, and the v4.0 macro-vector lookup), and the standard qualitative bands.
 * This module only decides which version a vector is and whether it is complete; the maths is
 * the library's.
 */
import cvssCalculator from 'ae-cvss-calculator';

// The package is a UMD bundle: Node's ESM loader sees no named exports in it, only the default
// (its `module.exports`), so the classes are taken from that.
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

export type CvssVersion = '2.0' | '3.0' | '3.1' | '4.0';

export interface CvssScore {
  readonly version: CvssVersion;
  /** The vector as the record gave it (trimmed). */
  readonly vector: string;
  readonly score: number;
}

/** FIRST's qualitative rating scale (v3.x and v4.0 share it; v2 has no none or critical). */
export type CvssRating = 'none' | 'low' | 'medium' | 'high' | 'critical';

export function cvssRating(score: CvssScore): CvssRating {
  if (score.version === '2.0') {
    // NVD's v2 bands: 0-3.9 low, 4.0-6.9 medium, 7.0-10.0 high.
    if (score.score >= 7) return 'high';
    return score.score >= 4 ? 'medium' : 'low';
  }
  if (score.score >= 9) return 'critical';
  if (score.score >= 7) return 'high';
  if (score.score >= 4) return 'medium';
  return score.score > 0 ? 'low' : 'none';
}

/**
 * The version is read from the prefix here, not by the library's `fromVector`: that one takes
 * ` CVSS:3.1/…` (leading space) or an unknown `CVSS:3.2/…` for a 3.0 vector and scores it.
 * v2 vectors have no prefix (NVD sometimes wraps them in parentheses).
 */
function versionOf(vector: string): CvssVersion | undefined {
  const prefixed = /^CVSS:(\d+\.\d+)\//.exec(vector)?.[1];
  if (prefixed === '2.0' || prefixed === '3.0' || prefixed === '3.1' || prefixed === '4.0') return prefixed;
  if (prefixed === undefined && /^\(?AV:/.test(vector)) return '2.0';
  return undefined;
}

/**
 * The base score only: v3 temporal/environmental and v4 threat/environmental metrics in a
 * vector are left out (v4's `baseMetricsOnly`, CVSS-B), so a record is rated on the flaw
 * itself, the same way whichever version and whatever extras its author wrote.
 */
function baseScore(version: CvssVersion, vector: string): number | undefined {
  if (version === '4.0') {
    const cvss = new Cvss4P0(vector);
    return cvss.isBaseFullyDefined() ? cvss.calculateScores().baseMetricsOnly : undefined;
  }
  const cvss =
    version === '3.1'
      ? new Cvss3P1(vector)
      : version === '3.0'
        ? new Cvss3P0(vector)
        : new Cvss2(vector.replace(/^\((.*)\)$/, '$1'));
  // The library leaves missing base metrics undefined and scores them 0: not a real score.
  return cvss.isBaseFullyDefined() ? cvss.calculateScores().base : undefined;
}

/** The base score of a CVSS v2/v3.0/v3.1/v4.0 vector; undefined when the vector is not valid. */
export function cvssScore(vector: string): CvssScore | undefined {
  const trimmed = vector.trim();
  const version = versionOf(trimmed);
  if (!version) return undefined;
  let score: number | undefined;
  try {
    score = baseScore(version, trimmed);
  } catch {
    // The library throws on unknown metrics or values (`AV:Q`, `ZZ:1`) and on malformed parts.
    return undefined;
  }
  return score === undefined || !Number.isFinite(score) ? undefined : { version, vector: trimmed, score };
}

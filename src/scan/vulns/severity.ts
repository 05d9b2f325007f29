/**
 * One severity scale for every scan finding, and how an OSV record is rated on it: from its
 * CVSS base score (v4.0, v3.x or v2), computed from the vector; otherwise from the database's
 * own rating (GitHub's `database_specific.severity`: LOW, MODERATE, HIGH, CRITICAL).
 */
import type { Severity } from '../../result.js';
import { type CvssScore, cvssRating, cvssScore } from './cvss.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from './osv.js';

export type ScanSeverity = 'unknown' | 'low' | 'medium' | 'high' | 'critical';

export const SCAN_SEVERITIES: readonly ScanSeverity[] = ['unknown', 'low', 'medium', 'high', 'critical'];

export function scanSeverityRank(severity: ScanSeverity): number {
  return SCAN_SEVERITIES.indexOf(severity);
}

/** How a scan severity shows in the shared Result shape (and so in every reporter). */
export function resultSeverity(severity: ScanSeverity): Severity {
  if (severity === 'critical' || severity === 'high') return 'error';
  if (severity === 'medium') return 'warning';
  return 'info';
}

/**
 * A base score on the scan's scale, by FIRST's qualitative bands (v2: NVD's, with no critical).
 * The scan has no "none": a 0.0 score still names an affected package, so it is the lowest
 * level there is, low.
 */
export function severityOfScore(score: CvssScore): ScanSeverity {
  const rating = cvssRating(score);
  return rating === 'none' ? 'low' : rating;
}

const DATABASE: Record<string, ScanSeverity> = {
  LOW: 'low',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  HIGH: 'high',
  CRITICAL: 'critical',
};

export interface Rating {
  readonly severity: ScanSeverity;
  /** The CVSS score it came from, when it came from one. */
  readonly cvss?: CvssScore;
  /** Where the rating came from, for the evidence. */
  readonly source: string;
}

function bestCvss(severities: readonly OsvSeverity[]): CvssScore | undefined {
  const scores = severities.map((s) => cvssScore(s.score)).filter((s): s is CvssScore => s !== undefined);
  // The newest version the record gives wins (4.0 over 3.1 over 3.0 over 2.0), whatever its
  // score: a publisher that adds a v4 vector next to an older one is refining its assessment,
  // and each version's formula rates the same flaw differently, so mixing them (taking the
  // gravest, say) would let the older formula override the newer. Ties keep the affected
  // entry's vector, listed first, over the record's.
  return scores.sort((a, b) => b.version.localeCompare(a.version))[0];
}

export function rate(record: OsvRecord, affected?: OsvAffected): Rating {
  const cvss = bestCvss([...(affected?.severity ?? []), ...(record.severity ?? [])]);
  if (cvss) return { severity: severityOfScore(cvss), cvss, source: `CVSS ${cvss.version} ${cvss.score}` };
  const database = affected?.database_specific?.severity ?? record.database_specific?.severity;
  const mapped = database ? DATABASE[database.toUpperCase()] : undefined;
  if (mapped) return { severity: mapped, source: `database severity ${database}` };
  return { severity: 'unknown', source: 'no valid CVSS vector or database severity in the record' };
}

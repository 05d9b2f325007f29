/**
 * One severity scale for every scan finding, and how an OSV record is rated on it: from its
 * CVSS v3.x (or v2) base score, computed from the vector; otherwise from the database's own
 * rating (GitHub's `database_specific.severity`: LOW, MODERATE, HIGH, CRITICAL).
 */
import type { Severity } from '../../result.js';
import { type CvssScore, cvssScore } from './cvss.js';
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

/** Qualitative rating of a base score (CVSS v3.x table; v2 has no "critical"). */
export function severityOfScore(score: CvssScore): ScanSeverity {
  if (score.version !== '2.0' && score.score >= 9) return 'critical';
  if (score.score >= 7) return 'high';
  if (score.score >= 4) return 'medium';
  return 'low';
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
  // Prefer the newest version that could be computed (3.1 over 3.0 over 2.0).
  return scores.sort((a, b) => b.version.localeCompare(a.version))[0];
}

export function rate(record: OsvRecord, affected?: OsvAffected): Rating {
  const cvss = bestCvss([...(affected?.severity ?? []), ...(record.severity ?? [])]);
  if (cvss) return { severity: severityOfScore(cvss), cvss, source: `CVSS ${cvss.version} ${cvss.score}` };
  const database = affected?.database_specific?.severity ?? record.database_specific?.severity;
  const mapped = database ? DATABASE[database.toUpperCase()] : undefined;
  if (mapped) return { severity: mapped, source: `database severity ${database}` };
  return { severity: 'unknown', source: 'no CVSS v2/v3 vector or database severity in the record' };
}

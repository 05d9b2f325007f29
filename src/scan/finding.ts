/** A scan finding: the shared Result plus the scan's own five-level severity, which --fail-on reads. */
import type { Result } from '../result.js';
import type { ScanSeverity } from './vulns/severity.js';

export interface ScanFinding {
  readonly result: Result;
  readonly severity: ScanSeverity;
}

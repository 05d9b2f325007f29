/**
 * The one result shape for every rule (check), verify check and scan finding, so that every
 * reporter (text, JSON, SARIF, JUnit) can render any list of them.
 */

export type Severity = 'error' | 'warning' | 'info';

export type ResultStatus = 'pass' | 'fail' | 'skip';

export interface Location {
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export interface Suppression {
  readonly by: 'inline' | 'config';
  readonly reason: string;
}

export interface Result {
  /** Rule or check id, e.g. `SLW-D001` or `verify.non-root`. */
  readonly id: string;
  readonly title: string;
  readonly status: ResultStatus;
  readonly severity: Severity;
  /** What was found, in one sentence. */
  readonly message: string;
  /** How to fix it, shown when the result fails. */
  readonly hint?: string;
  /** Numbers, commands and their output that back the result up; never a secret in clear. */
  readonly evidence?: readonly string[];
  readonly location?: Location;
  readonly durationMs?: number;
  /** Link or path to the rule's docs page. */
  readonly docs?: string;
  /** Set when the finding was suppressed; suppressed results never fail a run. */
  readonly suppressed?: Suppression;
}

const ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return ORDER[severity] >= ORDER[threshold];
}

/** Whether a list of results fails a run at the given threshold. */
export function failsAt(results: readonly Result[], threshold: Severity = 'warning'): boolean {
  return results.some((r) => r.status === 'fail' && !r.suppressed && atLeast(r.severity, threshold));
}

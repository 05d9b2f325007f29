import { failsAt, type Result, type Severity } from '../result.js';

/** Counts shared by every reporter, so that the terminal, JSON and JUnit always agree. */
export interface ResultSummary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Failures that were suppressed (counted in none of the above). */
  readonly suppressed: number;
  readonly durationMs: number;
  /** The run succeeds at this threshold. */
  readonly ok: boolean;
}

/** A suppressed failure is reported but never fails a run; it counts as neither pass nor fail. */
export function summarize(results: readonly Result[], threshold: Severity = 'warning'): ResultSummary {
  const count = (test: (result: Result) => boolean) => results.filter(test).length;
  return {
    total: results.length,
    passed: count((r) => r.status === 'pass'),
    failed: count((r) => r.status === 'fail' && !r.suppressed),
    skipped: count((r) => r.status === 'skip'),
    suppressed: count((r) => r.status === 'fail' && r.suppressed !== undefined),
    durationMs: results.reduce((sum, r) => sum + (r.durationMs ?? 0), 0),
    ok: !failsAt(results, threshold),
  };
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(stream: { isTTY?: boolean } = process.stdout): boolean {
  return !process.env.NO_COLOR && stream.isTTY === true;
}

import type { Result, Severity } from '../result.js';
import { summarize } from './summary.js';

export interface JsonReportOptions {
  /** Extra top-level fields, e.g. `{ command: 'verify', image, imageId }`. */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Severity at which a failure fails the run. @default warning */
  readonly threshold?: Severity;
}

/** Version of the JSON document's shape; bumped when a field changes meaning. */
export const JSON_REPORT_VERSION = 1;

/** The machine-readable report: stable field order, summary first, results as they are. */
export function renderJson(results: readonly Result[], options: JsonReportOptions = {}): string {
  const summary = summarize(results, options.threshold);
  const document = {
    version: JSON_REPORT_VERSION,
    ...options.meta,
    ok: summary.ok,
    summary,
    results,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

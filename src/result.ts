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

/** One stage of a pipeline run (`ship`): what it did, in one line, and whether it passed. */
export interface StageResult<Name extends string = string> {
  readonly stage: Name;
  readonly status: 'ok' | 'failed';
  /** One line: what the stage found or did. */
  readonly summary: string;
  readonly durationMs: number;
  /** Why a stage failed when it could not finish: the engine's or tool's own words, and the fix. */
  readonly error?: StageError;
}

export interface StageError {
  /** The first line of the error. */
  readonly message: string;
  /** The lines after it (the engine's error block, a failing step's last output), at most 20. */
  readonly detail: readonly string[];
  readonly fix?: string;
}

/** A file as text, with its path relative to the project root (forward slashes). */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/**
 * The one shape of every rule and check — check rules, verify checks, scan hardening and secret
 * rules: an id, a title, a severity, the generic fix, a docs page, and `run`, which looks at its
 * context and says what it found. Each stage turns `Output` into Results its own way; src/registry.ts
 * lists every unit of every stage.
 */
export interface Unit<Context, Output, Level extends string = Severity> {
  /** e.g. `SLW-D002`, `verify.non-root`, `scan.hardening.root-user`. */
  readonly id: string;
  readonly title: string;
  readonly severity: Level;
  /** The generic fix, shown with every failure; an outcome may carry a more precise one. */
  readonly hint: string;
  /** The docs page, relative to the package root, with an anchor where one page holds several. */
  readonly docs: string;
  run(context: Context): Output;
}

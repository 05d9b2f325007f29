/**
 * The shape of gitleaks-rules.json: gitleaks' default rules with each Go pattern kept (`re2`,
 * to compare with upstream) next to its JavaScript translation (`source`, `flags`). Written by
 * scripts/secrets/update-rules.mjs through gitleaks-convert.ts; read at run time by engine.ts.
 */

export interface PatternData {
  readonly re2: string;
  readonly source: string;
  readonly flags: string;
}

export interface AllowlistData {
  readonly description?: string;
  /** OR: any one check allows the finding; AND: every check the allowlist has must hold. */
  readonly condition: 'OR' | 'AND';
  /** What `regexes` test: the secret (gitleaks' default), the whole regex match, or its line. */
  readonly regexTarget: 'secret' | 'match' | 'line';
  readonly regexes: readonly PatternData[];
  readonly paths: readonly PatternData[];
  /** Lower-cased; a secret that contains one is allowed. */
  readonly stopwords: readonly string[];
}

export interface RuleData {
  readonly id: string;
  readonly description: string;
  readonly regex?: PatternData;
  /** With a regex: only files whose path matches. Without: the file itself is the finding. */
  readonly path?: PatternData;
  /** Capture group holding the secret; otherwise the first non-empty group, or the match. */
  readonly secretGroup?: number;
  /** Shannon entropy (bits per character) the secret must exceed. */
  readonly entropy?: number;
  /** Lower-cased; the regex runs only on text containing one of them (none: always). */
  readonly keywords: readonly string[];
  readonly allowlists: readonly AllowlistData[];
}

export interface RuleSetData {
  readonly source: {
    readonly module: string;
    readonly version: string;
    /** The module zip's go.sum hash (h1:), as the Go checksum database records it. */
    readonly sum: string;
    readonly file: string;
    readonly license: string;
    readonly licenseText: string;
  };
  readonly allowlists: readonly AllowlistData[];
  readonly rules: readonly RuleData[];
  /** Rules left out, each with the reason: nothing is dropped silently. */
  readonly dropped: readonly { readonly id: string; readonly reason: string }[];
  /** Parts of upstream allowlists that cannot apply to image files (commits), and what became of them. */
  readonly notes: readonly string[];
}

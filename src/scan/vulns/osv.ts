/** The parts of the OSV schema (https://ossf.github.io/osv-schema/) that matching reads. */

export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  readonly type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  readonly events: readonly OsvEvent[];
}

export interface OsvSeverity {
  readonly type: string;
  readonly score: string;
}

export interface OsvAffected {
  readonly package?: { readonly ecosystem: string; readonly name: string; readonly purl?: string };
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
  readonly severity?: readonly OsvSeverity[];
  readonly database_specific?: { readonly severity?: string };
  readonly ecosystem_specific?: { readonly urgency?: string };
}

export interface OsvRecord {
  readonly id: string;
  readonly modified?: string;
  readonly published?: string;
  readonly withdrawn?: string;
  readonly aliases?: readonly string[];
  /** Debian's records name the CVE they track here rather than in aliases. */
  readonly upstream?: readonly string[];
  readonly summary?: string;
  readonly details?: string;
  readonly severity?: readonly OsvSeverity[];
  readonly affected?: readonly OsvAffected[];
  readonly references?: readonly { readonly type: string; readonly url: string }[];
  readonly database_specific?: { readonly severity?: string };
}

export function isOsvRecord(value: unknown): value is OsvRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { id?: unknown; affected?: unknown };
  return typeof record.id === 'string' && (record.affected === undefined || Array.isArray(record.affected));
}

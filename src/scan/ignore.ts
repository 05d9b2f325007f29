/**
 * The scan's ignore file: findings a team has looked at and accepted, each with a reason and
 * an expiry date, so that an acceptance is revisited rather than forgotten. An expired entry
 * stops applying (the finding fails again) and is itself reported.
 *
 * ```yaml
 * ignore:
 *   - id: GHSA-f96h-pmfr-66vw        # an OSV id or alias (CVE-…), or a finding id (scan.hardening.setuid)
 *     reason: the app accepts no multipart forms
 *     expires: 2026-12-31            # optional; the entry applies through that day (UTC)
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { Result } from '../result.js';
import type { ScanFinding } from './finding.js';

const Entry = z.object({
  id: z.string().min(1),
  reason: z.string().min(1, 'every ignore entry needs a reason'),
  expires: z
    .union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expires must be a YYYY-MM-DD date'), z.date()])
    .optional(),
});
// A bare list is accepted too; each shape is checked on its own so errors name the key path.
const Listed = z.object({ ignore: z.array(Entry) });
const Bare = z.array(Entry);

export interface IgnoreEntry {
  readonly id: string;
  readonly reason: string;
  /** YYYY-MM-DD; the entry applies through this day. */
  readonly expires?: string;
}

export async function loadIgnoreFile(path: string): Promise<IgnoreEntry[]> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`ignore file ${path} cannot be read`);
  });
  const data: unknown = parse(text) ?? [];
  const parsed = Array.isArray(data) ? Bare.safeParse(data) : Listed.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`ignore file ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.ignore;
  return entries.map((entry) => ({
    id: entry.id,
    reason: entry.reason,
    ...(entry.expires === undefined
      ? {}
      : {
          expires:
            typeof entry.expires === 'string' ? entry.expires : entry.expires.toISOString().slice(0, 10),
        }),
  }));
}

/** The ids an entry can name for a finding besides its own id: OSV ids and aliases for vulnerabilities. */
export type FindingNames = (result: Result) => readonly string[];

export function applyIgnores(
  findings: readonly ScanFinding[],
  entries: readonly IgnoreEntry[],
  names: FindingNames,
  today: string = new Date().toISOString().slice(0, 10),
): ScanFinding[] {
  const active = entries.filter((entry) => entry.expires === undefined || entry.expires >= today);
  const expired = entries.filter((entry) => entry.expires !== undefined && entry.expires < today);
  const applied = findings.map((finding) => {
    const ids = new Set([finding.result.id, ...names(finding.result)]);
    const entry = active.find((e) => ids.has(e.id));
    if (!entry || finding.result.status !== 'fail') return finding;
    return {
      ...finding,
      result: { ...finding.result, suppressed: { by: 'config' as const, reason: entry.reason } },
    };
  });
  // Notices only: the finding an expired entry covered fails again on its own.
  const notices: ScanFinding[] = expired.map((entry) => ({
    severity: 'low',
    result: {
      id: 'scan.ignore.expired',
      title: 'Expired ignore entry',
      status: 'fail',
      severity: 'info',
      message: `the ignore entry for ${entry.id} expired on ${entry.expires} and no longer applies`,
      hint: 'look at the finding again: fix it, or renew the entry with a new reason and date',
      evidence: [`reason given: ${entry.reason}`],
    },
  }));
  return [...applied, ...notices];
}

/**
 * Which OSV records affect which installed packages. PyPI packages match by their normalized
 * name and PEP 440 order; Debian packages by their SOURCE package (what Debian's security data
 * is keyed on) and dpkg order, for the image's own release only (`Debian:13`).
 */
import type { Package } from '../catalog/package.js';
import { normalizePythonName } from '../catalog/python.js';
import { orderFor, type VersionOrder } from '../versions/index.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from './osv.js';
import { type Rating, rate, scanSeverityRank } from './severity.js';

export interface VulnMatch {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly package: Package;
  /** The version that was compared: the source version for Debian packages. */
  readonly installed: string;
  /** Versions that fix it (the lowest fix above the installed version, per range); empty if none. */
  readonly fixed: readonly string[];
  readonly rating: Rating;
  readonly ecosystem: string;
}

type Kind = 'introduced' | 'fixed' | 'last_affected';

function eventsOf(range: OsvRange): { kind: Kind; version: string }[] {
  const events: { kind: Kind; version: string }[] = [];
  for (const event of range.events as OsvEvent[]) {
    if (event.introduced !== undefined) events.push({ kind: 'introduced', version: event.introduced });
    if (event.fixed !== undefined) events.push({ kind: 'fixed', version: event.fixed });
    if (event.last_affected !== undefined)
      events.push({ kind: 'last_affected', version: event.last_affected });
  }
  return events;
}

/**
 * The OSV evaluation: walk the events in version order; `introduced` opens an affected span,
 * `fixed` (version >= fix) and `last_affected` (version > it) close it. "0" is before everything.
 */
export function inRange(version: string, range: OsvRange, order: VersionOrder): boolean {
  const compare = (a: string, b: string) =>
    a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : order.compare(a, b);
  const rank: Record<Kind, number> = { introduced: 0, fixed: 1, last_affected: 1 };
  const events = eventsOf(range)
    .filter((e) => e.version === '0' || order.valid(e.version))
    .sort((a, b) => compare(a.version, b.version) || rank[a.kind] - rank[b.kind]);
  let affected = false;
  for (const event of events) {
    if (event.kind === 'introduced' && compare(version, event.version) >= 0) affected = true;
    else if (event.kind === 'fixed' && compare(version, event.version) >= 0) affected = false;
    else if (event.kind === 'last_affected' && compare(version, event.version) > 0) affected = false;
  }
  return affected;
}

function fixesAbove(version: string, affected: OsvAffected, order: VersionOrder): string[] {
  const fixes = (affected.ranges ?? [])
    .filter((range) => range.type === 'ECOSYSTEM' && inRange(version, range, order))
    .map(
      (range) =>
        eventsOf(range)
          .filter(
            (e) => e.kind === 'fixed' && order.valid(e.version) && order.compare(e.version, version) > 0,
          )
          .map((e) => e.version)
          .sort(order.compare)[0],
    )
    .filter((fix): fix is string => fix !== undefined);
  return [...new Set(fixes)];
}

export function isAffected(version: string, affected: OsvAffected, order: VersionOrder): boolean {
  if (affected.versions?.includes(version)) return true;
  if (!order.valid(version)) return false;
  return (affected.ranges ?? []).some(
    (range) => range.type === 'ECOSYSTEM' && inRange(version, range, order),
  );
}

interface Target {
  readonly ecosystem: string;
  readonly name: string;
  readonly version: string;
}

function targetOf(pkg: Package, debianEcosystem: string | undefined): Target | undefined {
  if (pkg.type === 'python')
    return { ecosystem: 'PyPI', name: normalizePythonName(pkg.name), version: pkg.version };
  if (!debianEcosystem || !pkg.source) return undefined;
  return { ecosystem: debianEcosystem, name: pkg.source.name, version: pkg.source.version };
}

const key = (ecosystem: string, name: string) => `${ecosystem}\u0000${name}`;

/** Matches packages against records; withdrawn records never match. */
export function matchPackages(
  packages: readonly Package[],
  records: readonly OsvRecord[],
  debianEcosystem: string | undefined,
): VulnMatch[] {
  const byPackage = new Map<string, { record: OsvRecord; affected: OsvAffected }[]>();
  for (const record of records) {
    if (record.withdrawn) continue;
    for (const affected of record.affected ?? []) {
      if (!affected.package) continue;
      const { ecosystem, name } = affected.package;
      const normalized = ecosystem === 'PyPI' ? normalizePythonName(name) : name;
      const k = key(ecosystem, normalized);
      byPackage.set(k, [...(byPackage.get(k) ?? []), { record, affected }]);
    }
  }
  const matches: VulnMatch[] = [];
  for (const pkg of packages) {
    const target = targetOf(pkg, debianEcosystem);
    const order = target && orderFor(target.ecosystem);
    if (!target || !order) continue;
    const seen = new Set<string>();
    for (const { record, affected } of byPackage.get(key(target.ecosystem, target.name)) ?? []) {
      if (seen.has(record.id) || !isAffected(target.version, affected, order)) continue;
      seen.add(record.id);
      matches.push({
        id: record.id,
        aliases: [...new Set([...(record.aliases ?? []), ...(record.upstream ?? [])])],
        summary: record.summary ?? record.details?.split('\n')[0]?.slice(0, 160) ?? '',
        package: pkg,
        installed: target.version,
        fixed: fixesAbove(target.version, affected, order),
        rating: rate(record, affected),
        ecosystem: target.ecosystem,
      });
    }
  }
  return dedupeAliases(matches);
}

/**
 * The same flaw is often published twice (PYSEC-… and GHSA-… name each other as aliases): one
 * finding per package and flaw, under the first id, with the other ids as aliases.
 */
function dedupeAliases(matches: VulnMatch[]): VulnMatch[] {
  const kept: VulnMatch[] = [];
  for (const match of [...matches].sort((a, b) => a.id.localeCompare(b.id))) {
    const names = new Set([match.id, ...match.aliases]);
    const twin = kept.findIndex(
      (k) => k.package === match.package && (names.has(k.id) || k.aliases.some((a) => names.has(a))),
    );
    if (twin === -1) {
      kept.push(match);
      continue;
    }
    const existing = kept[twin] as VulnMatch;
    const aliases = [...new Set([...existing.aliases, match.id, ...match.aliases])].filter(
      (a) => a !== existing.id,
    );
    // Two databases may rate the flaw differently: keep the graver rating.
    const graver = scanSeverityRank(match.rating.severity) > scanSeverityRank(existing.rating.severity);
    kept[twin] = {
      ...existing,
      aliases,
      fixed: [...new Set([...existing.fixed, ...match.fixed])],
      rating: graver ? match.rating : existing.rating,
    };
  }
  return kept;
}

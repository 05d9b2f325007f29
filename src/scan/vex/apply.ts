/**
 * VEX statements applied to the vulnerability findings. A statement applies to a match when it
 * names the vulnerability (its OSV id or an alias, either way round) and the package: by package
 * URL (type, namespace, name, and version when the statement gives one; qualifiers such as
 * `arch` are not compared), or the image itself (a `pkg:oci`/`pkg:docker` purl of its name), or
 * no product at all. Of several, the newest (by timestamp, then file order) decides.
 * `not_affected` and `fixed` suppress the finding, with the justification as the reason (SARIF
 * carries it as an external suppression); `affected` and `under_investigation` leave it failing.
 */
import { PackageURL } from 'packageurl-js';
import type { Package } from '../catalog/package.js';
import { normalizePythonName } from '../catalog/python.js';
import type { ScanFinding } from '../finding.js';
import { splitRef } from '../sbom.js';
import type { VulnMatch } from '../vulns/match.js';
import type { VexStatement, VexStatus } from './documents.js';

export interface VexDecision {
  /** The OSV id of the finding. */
  readonly id: string;
  readonly purl: string;
  readonly status: VexStatus;
  readonly justification: string | undefined;
  readonly source: string;
}

function parsePurl(text: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(text);
  } catch {
    return undefined;
  }
}

const nameOf = (purl: PackageURL) => (purl.type === 'pypi' ? normalizePythonName(purl.name) : purl.name);

function appliesTo(product: string, pkg: Package, image: string): boolean {
  if (product === pkg.purl || product === `${pkg.purl}#${pkg.location}` || product === image) return true;
  const wanted = parsePurl(product);
  const have = parsePurl(pkg.purl);
  if (!wanted || !have) return false;
  if (wanted.type === 'oci' || wanted.type === 'docker') {
    const repository = splitRef(image).name.split('/').at(-1);
    return wanted.name.split('/').at(-1) === repository;
  }
  return (
    wanted.type === have.type &&
    (wanted.namespace ?? '') === (have.namespace ?? '') &&
    nameOf(wanted) === nameOf(have) &&
    (!wanted.version || wanted.version === have.version)
  );
}

function decide(
  match: VulnMatch,
  statements: readonly VexStatement[],
  image: string,
): VexStatement | undefined {
  const names = new Set([match.id, ...match.aliases]);
  const applicable = statements.filter(
    (s) =>
      [s.vulnerability, ...s.aliases].some((n) => names.has(n)) &&
      (s.products.length === 0 || s.products.some((p) => appliesTo(p, match.package, image))),
  );
  // Stable: without timestamps, the later statement (file order) wins.
  return applicable
    .map((s, order) => ({ s, order }))
    .sort((a, b) => (a.s.timestamp ?? '').localeCompare(b.s.timestamp ?? '') || a.order - b.order)
    .at(-1)?.s;
}

export function applyVex(
  findings: readonly ScanFinding[],
  matches: readonly VulnMatch[],
  statements: readonly VexStatement[],
  image: string,
): { findings: ScanFinding[]; decisions: VexDecision[] } {
  const decisions: VexDecision[] = [];
  if (statements.length === 0) return { findings: [...findings], decisions };
  const applied = findings.map((finding) => {
    const match = matches.find((m) => finding.result.id === `scan.vuln.${m.id}`);
    const statement = match && decide(match, statements, image);
    if (!match || !statement) return finding;
    decisions.push({
      id: match.id,
      purl: match.package.purl,
      status: statement.status,
      justification: statement.justification,
      source: statement.source,
    });
    const why = [statement.justification, statement.detail].filter(Boolean).join(': ');
    const said = `VEX ${statement.status}${why ? ` (${why})` : ''}, ${statement.source}`;
    const result = { ...finding.result, evidence: [...(finding.result.evidence ?? []), `vex: ${said}`] };
    const suppresses = statement.status === 'not_affected' || statement.status === 'fixed';
    return {
      ...finding,
      result: suppresses ? { ...result, suppressed: { by: 'config' as const, reason: said } } : result,
    };
  });
  return { findings: applied, decisions };
}

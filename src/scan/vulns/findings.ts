/** Vulnerability matches as Results, with the fix a user can apply. */
import type { ScanFinding } from '../finding.js';
import type { VulnMatch } from './match.js';
import { resultSeverity } from './severity.js';

function hintFor(match: VulnMatch): string {
  const pkg = match.package;
  if (match.fixed.length === 0)
    return `no fixed version is published yet; watch ${match.id} or accept it in the ignore file with a reason`;
  const fix = match.fixed.join(' or ');
  if (pkg.type === 'python') {
    return `upgrade ${pkg.name} to ${fix} or later: uv lock --upgrade-package ${pkg.name}, then rebuild`;
  }
  return `rebuild on an updated base image (or apt-get upgrade in it): Debian fixed source package ${pkg.source?.name ?? pkg.name} in ${fix}`;
}

export function vulnerabilityFindings(matches: readonly VulnMatch[]): ScanFinding[] {
  return matches.map((match) => {
    const pkg = match.package;
    const aka = match.aliases.length > 0 ? ` (${match.aliases.join(', ')})` : '';
    const fixed = match.fixed.length > 0 ? `fixed in ${match.fixed.join(', ')}` : 'no fix published';
    const compared =
      pkg.source && pkg.source.name !== pkg.name ? ` (source ${pkg.source.name} ${match.installed})` : '';
    const result = {
      id: `scan.vuln.${match.id}`,
      title: match.summary || match.id,
      status: 'fail',
      severity: resultSeverity(match.rating.severity),
      message: `${pkg.name} ${pkg.version}${compared} is affected by ${match.id}${aka}, ${match.rating.severity}; ${fixed}`,
      hint: hintFor(match),
      evidence: [
        `severity: ${match.rating.severity} (${match.rating.source})`,
        ...(match.rating.cvss ? [`cvss: ${match.rating.cvss.vector}`] : []),
        `package: ${pkg.purl}`,
        `installed: ${match.installed}`,
        `fixed: ${match.fixed.join(', ') || 'none'}`,
        `ecosystem: ${match.ecosystem}`,
        `location: ${pkg.location} (layer ${pkg.layer})`,
      ],
      docs: `https://osv.dev/vulnerability/${match.id}`,
    } as const;
    return { result, severity: match.rating.severity };
  });
}

/**
 * The scan's text summary: what the image holds (packages by type), how bad it is (findings by
 * severity), the vulnerability table (with what VEX documents said), then secrets and
 * hardening, one line each. Plain text with no colour, so it reads the same in a terminal, a CI
 * log and a test snapshot.
 */
import type { ScanReport } from '../scan/index.js';
import { SCAN_SEVERITIES, type ScanSeverity } from '../scan/vulns/severity.js';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const bySeverity = (a: ScanSeverity, b: ScanSeverity) =>
  SCAN_SEVERITIES.indexOf(b) - SCAN_SEVERITIES.indexOf(a);

export function renderScanSummary(report: ScanReport): string {
  const out: string[] = [];
  const os = report.image.os?.prettyName ?? report.image.os?.id ?? 'unknown OS';
  const user = report.image.user || 'root (no USER)';
  out.push(`${report.image.ref}: ${os}, ${report.image.layers} layers, user ${user}`);

  const counts = new Map<string, number>();
  for (const pkg of report.packages) counts.set(pkg.type, (counts.get(pkg.type) ?? 0) + 1);
  const types = [...counts].map(([type, n]) => `${n} ${type}`).join(', ') || 'none found';
  out.push(`Packages: ${report.packages.length} (${types})`);

  const failing = report.scanFindings.filter((f) => f.result.status === 'fail' && !f.result.suppressed);
  const suppressed = report.scanFindings.filter((f) => f.result.suppressed).length;
  const levels = [...SCAN_SEVERITIES]
    .reverse()
    .map((level) => `${level} ${failing.filter((f) => f.severity === level).length}`)
    .join(', ');
  out.push(`Findings: ${levels}${suppressed ? ` (${suppressed} suppressed)` : ''}`);

  out.push('', 'Vulnerabilities');
  if (report.stats.osvRecords === undefined) {
    out.push('  not checked: no OSV data given (--osv DIR|ZIP)');
  } else if (report.vulnerabilities.length === 0) {
    out.push(`  none (${report.stats.osvRecords} OSV records)`);
  } else {
    const suppressedIds = new Set(report.findings.filter((r) => r.suppressed).map((r) => r.id));
    // A VEX statement is named as such: "not affected" is a decision, not an ignore entry.
    const note = (id: string, purl: string) => {
      const vex = report.vex.find((d) => d.id === id && d.purl === purl);
      if (vex) return ` (VEX ${vex.status.replace('_', ' ')})`;
      return suppressedIds.has(`scan.vuln.${id}`) ? ' (ignored)' : '';
    };
    const rows = [...report.vulnerabilities]
      .sort(
        (a, b) =>
          bySeverity(a.rating.severity, b.rating.severity) || a.package.name.localeCompare(b.package.name),
      )
      .map((v) => [
        v.id,
        v.package.name,
        v.installed,
        v.fixed.join(', ') || '-',
        v.rating.severity + note(v.id, v.package.purl),
        v.aliases.join(', '),
      ]);
    out.push(
      ...table(['ID', 'PACKAGE', 'INSTALLED', 'FIXED', 'SEVERITY', 'ALIASES'], rows).map((l) => `  ${l}`),
    );
  }

  for (const [title, prefix] of [
    ['Secrets', 'scan.secret'],
    ['Hardening', 'scan.hardening'],
    ['Ignore file', 'scan.ignore'],
  ] as const) {
    const findings = report.scanFindings.filter((f) => f.result.id.startsWith(prefix));
    if (findings.length === 0) continue;
    out.push('', title);
    for (const { result, severity } of findings) {
      const status = result.suppressed ? 'IGNORED' : result.status.toUpperCase();
      const level = result.status === 'fail' ? ` [${severity}]` : '';
      out.push(`  ${status.padEnd(7)} ${result.id}${level}: ${result.message}`);
      if (result.status === 'fail' && prefix === 'scan.secret') {
        for (const line of result.evidence?.filter((e) => e.startsWith('secret:')) ?? [])
          out.push(`          ${line}`);
      }
    }
  }
  out.push(
    '',
    report.failed ? `FAILED: findings at or above ${report.failOn}` : `passed (fail on ${report.failOn})`,
  );
  return `${out.join('\n')}\n`;
}

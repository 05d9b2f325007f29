import type { Result } from '../result.js';

/** What the text report needs: the findings and what was checked (a CheckReport fits). */
export interface FindingsSummary {
  readonly findings: readonly Result[];
  readonly rules: readonly string[];
  readonly files: readonly string[];
}

const WIDTH = { severity: 7, id: 8 };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Findings grouped by file, one line each: `line  severity  id  message`, then the fix, then the
 * evidence. Suppressed findings stay in the list, marked, so that what was accepted is visible.
 */
export function formatFindingsText(report: FindingsSummary): string {
  const out: string[] = [];
  const byFile = new Map<string, Result[]>();
  for (const finding of report.findings) {
    const file = finding.location?.file ?? '(project)';
    byFile.set(file, [...(byFile.get(file) ?? []), finding]);
  }
  for (const [file, findings] of byFile) {
    out.push(file);
    for (const finding of findings) {
      const line = finding.location?.line === undefined ? '-' : String(finding.location.line);
      const severity = finding.suppressed ? 'ignored' : finding.severity;
      out.push(
        `  ${line.padStart(4)}  ${severity.padEnd(WIDTH.severity)}  ${finding.id.padEnd(WIDTH.id)}  ${finding.message}`,
      );
      const indent = ' '.repeat(6 + WIDTH.severity + 2 + WIDTH.id + 2);
      if (finding.suppressed) {
        out.push(`${indent}suppressed (${finding.suppressed.by}): ${finding.suppressed.reason}`);
      } else if (finding.hint) {
        out.push(`${indent}fix: ${finding.hint}`);
      }
      for (const item of finding.evidence ?? []) out.push(`${indent}${item}`);
    }
    out.push('');
  }
  out.push(summary(report));
  return `${out.join('\n')}\n`;
}

function summary(report: FindingsSummary): string {
  const active = report.findings.filter((f) => !f.suppressed);
  const suppressed = report.findings.length - active.length;
  const checked = `${plural(report.rules.length, 'rule')} over ${plural(report.files.length, 'file')}`;
  if (active.length === 0) {
    return `No findings${suppressed > 0 ? ` (${suppressed} suppressed)` : ''}: ${checked}.`;
  }
  const counts = (['error', 'warning', 'info'] as const)
    .map((severity) => [severity, active.filter((f) => f.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => plural(count, severity));
  return `${plural(active.length, 'finding')} (${counts.join(', ')})${suppressed > 0 ? `, ${suppressed} suppressed` : ''}: ${checked}.`;
}

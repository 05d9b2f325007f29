import type { Result } from '../result.js';
import { painter } from '../util/color.js';
import { summarize, wantsColor } from './summary.js';

export interface ChecklistOptions {
  /** @default colour on a TTY unless NO_COLOR is set */
  readonly color?: boolean;
  /** Wall time of the whole run; the sum of the results' durations otherwise. */
  readonly durationMs?: number;
  /** Show evidence under passing results too. @default false */
  readonly verbose?: boolean;
}

const MARKS = { pass: '✓', fail: '✗', skip: '-' } as const;

function time(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A terminal checklist: one line per result with its time, the evidence and hint under each
 * failure, and a summary line. Renders any list of results (verify, check, scan).
 */
export function renderChecklist(results: readonly Result[], options: ChecklistOptions = {}): string {
  const color = options.color ?? wantsColor();
  const paint = painter(color);
  const idWidth = Math.max(0, ...results.map((result) => result.id.length));
  const lines: string[] = [];
  for (const result of results) {
    const suppressed = result.status === 'fail' && result.suppressed !== undefined;
    const mark = suppressed ? MARKS.skip : MARKS[result.status];
    const painted =
      result.status === 'pass'
        ? paint('32', mark)
        : result.status === 'fail' && !suppressed
          ? paint('31', mark)
          : paint('33', mark);
    const where = result.location
      ? ` ${result.location.file}${result.location.line ? `:${result.location.line}` : ''}`
      : '';
    const took = result.durationMs === undefined ? '' : paint('2', `  ${time(result.durationMs)}`);
    lines.push(`${painted} ${result.id.padEnd(idWidth)}  ${result.title}${where}${took}`);
    const detail = result.status !== 'pass' || options.verbose;
    if (!detail) continue;
    lines.push(`    ${result.message}`);
    if (suppressed)
      lines.push(paint('2', `    suppressed (${result.suppressed?.by}): ${result.suppressed?.reason}`));
    if (result.status === 'fail' || options.verbose) {
      for (const line of result.evidence ?? []) lines.push(paint('2', `      ${line}`));
    }
    if (result.status === 'fail' && !suppressed && result.hint)
      lines.push(`    ${paint('36', 'hint:')} ${result.hint}`);
  }
  const summary = summarize(results);
  const parts = [`${summary.passed} passed`, `${summary.failed} failed`, `${summary.skipped} skipped`];
  if (summary.suppressed > 0) parts.push(`${summary.suppressed} suppressed`);
  const line = `${parts.join(', ')} in ${time(options.durationMs ?? summary.durationMs)}`;
  lines.push('', summary.failed > 0 ? paint('31', line) : paint('32', line));
  return `${lines.join('\n')}\n`;
}

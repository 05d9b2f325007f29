import type { DoctorReport } from '../doctor/machine.js';
import { painter } from '../util/color.js';

export interface RenderOptions {
  readonly color: boolean;
}

const MARK = { ok: 'ok', missing: 'missing', skipped: 'skipped' } as const;

/** One line per check: status, title, detail, and the fix for anything missing. */
export function renderDoctorText(report: DoctorReport, options: RenderOptions): string {
  const paint = painter(options.color);
  const width = Math.max(...report.checks.map((check) => check.title.length));
  const lines = report.checks.map((check) => {
    const optional = !check.required;
    const mark = MARK[check.status].padEnd(7);
    const colored =
      check.status === 'ok'
        ? paint('32', mark)
        : optional || check.status === 'skipped'
          ? paint('33', mark)
          : paint('31', mark);
    const fix = check.fix && check.status === 'missing' ? ` — fix: ${check.fix}` : '';
    return `${colored} ${check.title.padEnd(width)}  ${check.detail}${fix}`;
  });
  lines.push(
    report.ok
      ? paint('32', 'This machine can build and verify images.')
      : paint('31', 'Required parts are missing: run the fix shown above.'),
  );
  return `${lines.join('\n')}\n`;
}

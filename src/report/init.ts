import type { InitOutcome } from '../generate/init.js';

const VERB = { create: 'create', update: 'update', unchanged: 'unchanged', conflict: 'CONFLICT' } as const;

/** One line per generated file: what init did (or would do, on a dry run). */
export function renderInitText(outcome: InitOutcome, dryRun: boolean): string {
  const lines = outcome.plan.map((file) => {
    const reason = file.action === 'conflict' && file.reason ? ` (${file.reason})` : '';
    return `${VERB[file.action].padEnd(9)} ${file.path}${reason}`;
  });
  if (outcome.upToDate) lines.push('no change: the generated files are current');
  else if (dryRun) lines.push('dry run: nothing written');
  else lines.push(`${outcome.written.length} file(s) written in ${outcome.model.root}`);
  return `${lines.join('\n')}\n${outcome.diff ? `\n${outcome.diff}` : ''}`;
}

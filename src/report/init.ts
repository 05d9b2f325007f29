import type { InitOutcome } from '../generate/init.js';

const VERB = {
  create: 'create',
  update: 'update',
  unchanged: 'unchanged',
  conflict: 'CONFLICT',
  keep: 'keep',
} as const;

/** One line per generated file: what init did (or would do, on a dry run). */
export function renderInitText(outcome: InitOutcome, dryRun: boolean): string {
  const lines = outcome.plan.map((file) => {
    const reason =
      (file.action === 'conflict' || file.action === 'keep') && file.reason ? ` (${file.reason})` : '';
    return `${VERB[file.action].padEnd(9)} ${file.path}${reason}`;
  });
  const workspace = outcome.model.workspace;
  if (workspace?.selected) {
    lines.unshift(
      `using ${workspace.member}/, the member of the uv workspace that depends on FastAPI (built from the workspace root)`,
      '',
    );
  }
  const adopted = outcome.adopted;
  if (adopted) {
    const kept = adopted.dockerfile;
    const named = kept === 'Dockerfile' ? '' : ` ${kept}`;
    lines.push('', `kept your Dockerfile${named} (${adopted.reason}); slipway did not write one.`);
    lines.push('The manifests follow the image it builds:', ...adopted.follows.map((line) => `  ${line}`));
    for (const warning of adopted.warnings) lines.push(`warning: ${warning.text}`, `  fix: ${warning.fix}`);
    if (adopted.differences.length > 0) {
      lines.push(
        `slipway's Dockerfile would differ in ${adopted.differences.length} way(s) that matter:`,
        ...adopted.differences.map((d) => `  [${d.concern}] ${d.text}`),
        outcome.diff
          ? 'The diff below shows the Dockerfile slipway would write; `slipway init --force` writes it.'
          : 'See it with `slipway init --diff`; `slipway init --force` writes it instead of yours.',
      );
    }
    lines.push('');
  }
  if (outcome.outputsDifferFromConfig) {
    const list = outcome.outputs.map((name) => JSON.stringify(name)).join(', ');
    lines.push(
      `--with ${outcome.outputs.join(',')} is this run's choice; [tool.slipway] outputs says ${outcome.model.config.outputs.join(', ')}.`,
      `To keep the choice (for init and ship), add to pyproject.toml under [tool.slipway]: outputs = [${list}]`,
    );
  }
  if (outcome.upToDate) lines.push('no change: the generated files are current');
  else if (dryRun) lines.push('dry run: nothing written');
  else lines.push(`${outcome.written.length} file(s) written in ${outcome.model.root}`);
  return `${lines.join('\n')}\n${outcome.diff ? `\n${outcome.diff}` : ''}`;
}

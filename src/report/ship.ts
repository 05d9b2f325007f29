import type { BuildOutcome } from '../build/image.js';
import type { CheckReport } from '../check/types.js';
import type { StageResult } from '../result.js';
import { painter } from '../util/color.js';
import type { VerifyReport } from '../verify/runner.js';
import { renderBuildSummary } from './build.js';
import { renderChecklist } from './checklist.js';
import { formatFindingsText } from './findings-text.js';

/** What the ship summary shows: each stage, the check findings, the build and the verify results. */
export interface ShipSummary {
  readonly stages: readonly StageResult[];
  readonly check: CheckReport;
  readonly build: BuildOutcome | undefined;
  readonly verify: VerifyReport | undefined;
  readonly ok: boolean;
}

/** The one summary at the end of `slipway ship`: each stage, then the details that matter. */
export function renderShipSummary(outcome: ShipSummary, options: { color: boolean }): string {
  const paint = painter(options.color);
  const parts: string[] = [];
  if (outcome.check.findings.some((f) => f.status === 'fail')) parts.push(formatFindingsText(outcome.check));
  if (outcome.build) parts.push(renderBuildSummary(outcome.build));
  if (outcome.verify) {
    parts.push(
      renderChecklist(outcome.verify.results, {
        durationMs: outcome.verify.durationMs,
        color: options.color,
      }),
    );
  }
  const width = Math.max(...outcome.stages.map((s) => s.stage.length));
  const rows = outcome.stages.flatMap((s) => {
    const mark = s.status === 'ok' ? paint('32', '✓') : paint('31', '✗');
    const took = `${(s.durationMs / 1000).toFixed(1)}s`.padStart(6);
    return [`${mark} ${s.stage.padEnd(width)} ${took}  ${s.summary}`, ...errorLines(s)];
  });
  const total = outcome.stages.reduce((sum, s) => sum + s.durationMs, 0);
  rows.push(
    outcome.ok
      ? paint(
          '32',
          `shipped ${outcome.build?.image ?? ''} in ${(total / 1000).toFixed(1)}s: every stage passed`,
        )
      : paint(
          '31',
          `not shipped: ${outcome.stages
            .filter((s) => s.status !== 'ok')
            .map((s) => s.stage)
            .join(', ')} failed`,
        ),
  );
  parts.push(`${rows.join('\n')}\n`);
  return parts.join('\n');
}

/** Under a stage that could not finish: the engine's own words, then the fix. */
function errorLines(stage: StageResult): string[] {
  if (!stage.error) return [];
  const indent = '    ';
  return [
    ...stage.error.detail.map((line) => `${indent}│ ${line}`),
    ...(stage.error.fix ? [`${indent}fix: ${stage.error.fix}`] : []),
  ];
}

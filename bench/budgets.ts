import { type CliTime, startRatio } from './cli-times.js';
import type { Measured } from './measured.js';
import type { Budget, CommandTimes, RecipeResult } from './results.js';

/** What slipway's image may carry beyond the base image and the environment (users, folders). */
export const OVERHEAD_LIMIT_BYTES = 2_000_000;

/** Start-up: each timed command within its multiple of bare `node -e 0`. */
export function cliBudgets(cli: readonly CliTime[]): Budget[] {
  return cli.flatMap((time) => {
    if (!time.budget) return [];
    const ratio = startRatio(cli, time);
    return [
      {
        name: `${time.command} ≤ ${time.budget}x bare node`,
        pass: ratio <= time.budget,
        detail: `${(time.ms.median / 1000).toFixed(2)} s, ${ratio.toFixed(1)}x`,
      },
    ];
  });
}

export function checkBudgets(slipway: RecipeResult): Budget[] {
  const worst = slipway.splits.reduce(
    (max, split) => Math.max(max, split.overhead),
    Number.NEGATIVE_INFINITY,
  );
  const user = slipway.splits[0]?.userLayer ?? 0;
  const reused = slipway.depsReusedOnSourceChange.filter(Boolean).length;
  const reps = slipway.depsReusedOnSourceChange.length;
  return [
    {
      name: 'image size: final − base − venv layers ≤ 2 MB',
      pass: slipway.splits.length > 0 && worst <= OVERHEAD_LIMIT_BYTES,
      detail: `${mb(worst, 3)} MB beyond base + venv (of which the user-creation layer ${mb(user, 3)} MB)`,
    },
    {
      name: 'source-only rebuild reuses the dependency layer',
      pass: reps > 0 && reused === reps,
      detail: `'uv sync --locked --no-install-project' CACHED in ${reused} of ${reps} rebuilds`,
    },
  ];
}

/** The distroless variant's uncompressed size against the plain multi-stage uv recipe's (issue 15). */
export const DISTROLESS_SIZE_RATIO = 0.6;

export function distrolessBudget(recipes: readonly RecipeResult[]): Budget[] {
  const distroless = recipes.find((r) => r.name === 'slipway-distroless');
  const multistage = recipes.find((r) => r.name === 'multistage-uv');
  if (!distroless || !multistage) return [];
  const ratio = distroless.sizeBytes.median / multistage.sizeBytes.median;
  return [
    {
      name: `distroless image ≤ ${DISTROLESS_SIZE_RATIO}x the multi-stage uv recipe (uncompressed)`,
      pass: Number.isFinite(ratio) && ratio <= DISTROLESS_SIZE_RATIO,
      detail:
        `${mb(distroless.sizeBytes.median)} MB vs ${mb(multistage.sizeBytes.median)} MB, ${ratio.toFixed(2)}x ` +
        `(compressed ${mb(distroless.compressedBytes.median)} vs ${mb(multistage.compressedBytes.median)} MB)`,
    },
  ];
}

/** Issue 15's build targets: slipway's median ÷ the plain multi-stage uv recipe's. */
export const BUILD_RATIOS = { cold: 1.0, deps: 1.0, source: 0.8 } as const;

export function buildBudgets(recipes: readonly RecipeResult[]): Budget[] {
  const slipway = recipes.find((r) => r.name === 'slipway');
  const multistage = recipes.find((r) => r.name === 'multistage-uv');
  if (!slipway || !multistage) return [];
  const rows = [
    ['cold build', slipway.coldMs.median, multistage.coldMs.median, BUILD_RATIOS.cold],
    ['rebuild after a dependency change', slipway.depsMs.median, multistage.depsMs.median, BUILD_RATIOS.deps],
    ['rebuild after a source edit', slipway.sourceMs.median, multistage.sourceMs.median, BUILD_RATIOS.source],
  ] as const;
  return rows.map(([what, ours, theirs, limit]) => {
    const ratio = ours / theirs;
    return {
      name: `${what} ≤ ${limit.toFixed(1)}x the multi-stage uv recipe`,
      pass: Number.isFinite(ratio) && ratio <= limit,
      detail: `${(ours / 1000).toFixed(2)} s vs ${(theirs / 1000).toFixed(2)} s, ${ratio.toFixed(2)}x (medians)`,
    };
  });
}

/** Issue 15: `slipway verify` of the reference backend, wall time, median. */
export const VERIFY_LIMIT_MS = 8_000;
/** Issue 15: a warm `slipway ship` of the reference backend (layer cache warm), wall time, median. */
export const WARM_SHIP_LIMIT_MS = 12_000;
/** "No command outlives its last output by more than a second": every ship run, the worst. */
export const EXIT_LAG_LIMIT_MS = 1_000;
/** Issue 17: `slipway scan` at most this multiple of `docker save` of the same image (medians). */
export const SCAN_SAVE_RATIO = 2;

export function commandBudgets(commands: CommandTimes): Budget[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const budget = <T>(
    name: string,
    result: Measured<T>,
    judge: (value: T) => { pass: boolean; detail: string },
  ): Budget =>
    'value' in result
      ? { name, ...judge(result.value) }
      : { name, pass: false, detail: `not measured: ${firstLine(result.missing)}` };
  return [
    budget(`slipway verify of the reference ≤ ${VERIFY_LIMIT_MS / 1000} s`, commands.verify, (v) => ({
      pass: v.ms.median <= VERIFY_LIMIT_MS,
      detail: `median ${s(v.ms.median)} wall (${v.runs.length} run(s); verify's own total ${s(v.reportedMs.median)})`,
    })),
    budget(`warm slipway ship ≤ ${WARM_SHIP_LIMIT_MS / 1000} s`, commands.ship, (v) => ({
      pass: v.ms.median <= WARM_SHIP_LIMIT_MS,
      detail: `median ${s(v.ms.median)} of ${v.runs.length} warm run(s) (first run ${s(v.first.ms)}, not measured)`,
    })),
    budget(
      `slipway ship exits ≤ ${EXIT_LAG_LIMIT_MS / 1000} s after its last output`,
      commands.ship,
      (v) => ({
        pass: v.exitLagMs.max <= EXIT_LAG_LIMIT_MS,
        detail: `worst ${s(v.exitLagMs.max)} over ${v.exitLagMs.samples.length} run(s) (median ${s(v.exitLagMs.median)})`,
      }),
    ),
    budget(`slipway scan ≤ ${SCAN_SAVE_RATIO}x docker save`, commands.scanVsSave, (v) => ({
      pass: Number.isFinite(v.ratio) && v.ratio <= SCAN_SAVE_RATIO,
      detail: `scan ${s(v.scanMs.median)} vs docker save ${s(v.saveMs.median)}, ${v.ratio.toFixed(2)}x (medians of ${v.scanMs.samples.length})`,
    })),
  ];
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

export function mb(bytes: number, digits = 1): string {
  return (bytes / 1e6).toFixed(digits);
}

import { type CliTime, startRatio } from './cli-times.js';
import type { Budget, RecipeResult } from './results.js';

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
      name: 'image size: final − base − venv layer ≤ 2 MB',
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

export function mb(bytes: number, digits = 1): string {
  return (bytes / 1e6).toFixed(digits);
}

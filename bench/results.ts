import type { BenchOptions } from './args.js';
import type { TimedBuild } from './builds.js';
import type { CliTime } from './cli-times.js';
import type { Machine } from './machine.js';
import type { Measured } from './measured.js';
import type { RecipeName } from './recipes.js';
import type { RuntimeSample } from './runtime.js';
import type { ScanVsSave } from './scan-save.js';
import type { ShipTimes, VerifyTimes } from './ship-verify.js';
import type { SizeSplit } from './sizes.js';
import { type Spread, spread } from './stats.js';
import type { UvWarmup } from './uv-warm.js';

/** One repetition of one recipe. */
export interface RecipeSample {
  readonly sizeBytes: number;
  /** The layers gzip-compressed, as a registry stores them (bench/compressed.ts). */
  readonly compressedBytes: number;
  readonly cold: TimedBuild;
  readonly source: TimedBuild;
  readonly deps: TimedBuild;
  readonly runtime: RuntimeSample;
  /** slipway's recipes only. */
  readonly split: SizeSplit | undefined;
}

export interface RecipeResult {
  readonly name: RecipeName;
  readonly title: string;
  readonly sizeBytes: Spread;
  readonly compressedBytes: Spread;
  readonly coldMs: Spread;
  readonly sourceMs: Spread;
  readonly depsMs: Spread;
  readonly startMs: Spread;
  readonly rssBytes: Spread;
  readonly rps: Spread;
  /** Per repetition: the dependency layer came from the cache in the rebuild after a source edit. */
  readonly depsReusedOnSourceChange: readonly boolean[];
  /** Requests that did not answer 200 under load, all repetitions together. */
  readonly failedRequests: number;
  readonly splits: readonly SizeSplit[];
}

export interface Budget {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

/** slipway's own commands on the reference backend (issues 15 and 17). */
export interface CommandTimes {
  readonly ship: Measured<ShipTimes>;
  readonly verify: Measured<VerifyTimes>;
  readonly scanVsSave: Measured<ScanVsSave>;
  /** OSV data was at hand (the --update-db cache): without it scan and verify.scan match no vulnerabilities. */
  readonly vulnerabilityData: boolean;
}

/** What keeps the build rows fair between the recipes. */
export interface Fairness {
  readonly uvWarmup: UvWarmup;
  /** The recipes whose builds use uv's shared cache mount (the ones the warm-up concerns). */
  readonly uvCacheRecipes: readonly RecipeName[];
  /** The order the recipes were built in, per repetition (rotated by one each time). */
  readonly recipeOrder: readonly (readonly RecipeName[])[];
}

export interface BenchResult {
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly wallMs: number;
  readonly loadAtEnd: number;
  /** 1-minute load average sampled before each measurement group: other work shares the cores. */
  readonly loadSamples: readonly number[];
  readonly recipes: readonly RecipeResult[];
  readonly fairness: Fairness;
  readonly commands: CommandTimes;
  readonly cli: readonly CliTime[];
  readonly budgets: readonly Budget[];
}

export function summarise(name: RecipeName, title: string, samples: readonly RecipeSample[]): RecipeResult {
  const of = (pick: (sample: RecipeSample) => number) => spread(samples.map(pick));
  return {
    name,
    title,
    sizeBytes: of((s) => s.sizeBytes),
    compressedBytes: of((s) => s.compressedBytes),
    coldMs: of((s) => s.cold.ms),
    sourceMs: of((s) => s.source.ms),
    depsMs: of((s) => s.deps.ms),
    startMs: of((s) => s.runtime.startMs),
    rssBytes: of((s) => s.runtime.rssBytes),
    rps: of((s) => s.runtime.rps),
    depsReusedOnSourceChange: samples.map((s) => s.source.depsCached),
    failedRequests: samples.reduce((sum, s) => sum + s.runtime.failed, 0),
    splits: samples.flatMap((s) => (s.split ? [s.split] : [])),
  };
}

import type { BenchOptions } from './args.js';
import type { TimedBuild } from './builds.js';
import type { CliTime } from './cli-times.js';
import type { Machine } from './machine.js';
import type { RecipeName } from './recipes.js';
import type { RuntimeSample } from './runtime.js';
import type { SizeSplit } from './sizes.js';
import { type Spread, spread } from './stats.js';

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

export interface BenchResult {
  readonly machine: Machine;
  readonly options: BenchOptions;
  readonly wallMs: number;
  readonly loadAtEnd: number;
  readonly recipes: readonly RecipeResult[];
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

/**
 * npm run bench: slipway's generated Dockerfile against three common recipes for the reference
 * backend, measured in one run on one machine. Prints a markdown table, writes it and a JSON file
 * to bench/results/, and exits 1 when one of slipway's budgets fails (2 when the bench itself fails).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerEngine } from '../src/engines/docker.js';
import type { ContainerEngine } from '../src/engines/engine.js';
import { baseImages } from '../src/generate/dockerfile-bases.js';
import { DEFAULT_PYTHON_VERSION } from '../src/pins.js';
import { osvSources } from '../src/scan/vulns/update.js';
import { exec } from '../src/util/exec.js';
import { type BenchOptions, parseOptions } from './args.js';
import { buildBudgets, checkBudgets, cliBudgets, commandBudgets, distrolessBudget } from './budgets.js';
import { RecipeBuilder } from './builds.js';
import { BENCH_LABEL, Cleanup } from './cleanup.js';
import { measureCli } from './cli-times.js';
import { compressedSize } from './compressed.js';
import { writeGeneratedDockerfile } from './generated.js';
import { describeMachine } from './machine.js';
import { measure } from './measured.js';
import { RECIPES, type RecipeName } from './recipes.js';
import { renderMarkdown } from './report.js';
import type { BenchResult, CommandTimes, RecipeSample } from './results.js';
import { summarise } from './results.js';
import { measureRuntime } from './runtime.js';
import { measureScanVsSave } from './scan-save.js';
import { ShipProject } from './ship-project.js';
import { measureShip, measureVerify } from './ship-verify.js';
import { sizeSplit } from './sizes.js';
import { TimedProcesses } from './timed-process.js';
import { UvTool } from './uv-tool.js';
import { usesSharedUvCache, warmUvCache } from './uv-warm.js';
import { BuildContext, type DepFiles, prepareDependencies } from './workspace.js';

// Compiled to dist/bench-build/bench/run.js; the sources sit in <repo>/bench.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BENCH_DIR = join(ROOT, 'bench');
const BACKEND = join(ROOT, 'examples', 'backend');
const RESULTS = join(BENCH_DIR, 'results');

const say = (message: string) => process.stderr.write(`bench: ${message}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function measureRecipe(
  engine: ContainerEngine,
  builder: RecipeBuilder,
  deps: { readonly base: DepFiles; readonly variant: DepFiles },
  rep: number,
  runId: string,
  options: BenchOptions,
): Promise<RecipeSample> {
  const name = builder.recipe.name;
  await builder.context.reset(deps.base);
  const cold = await builder.build(true);
  const info = await engine.inspectImage(builder.tag);
  const compressedBytes = await compressedSize(engine, builder.tag);
  const { recipe } = builder;
  const split = recipe.name.startsWith('slipway')
    ? await sizeSplit(engine, builder.tag, baseImages(recipe.base ?? 'slim', DEFAULT_PYTHON_VERSION).final)
    : undefined;
  // Run the image of the committed sources, before the edits below replace the tag.
  const runtime = await measureRuntime(engine, builder.tag, options);
  await builder.context.editSource(`${runId}-${rep}`);
  const source = await builder.build(false);
  await builder.context.setDependencies(deps.variant);
  const depsBuild = await builder.build(false);
  say(
    `[${rep + 1}/${options.reps}] ${name}: cold ${secs(cold.ms)}, source edit ${secs(source.ms)}` +
      ` (deps ${source.depsCached ? 'cached' : 'rebuilt'}), dependency change ${secs(depsBuild.ms)},` +
      ` start ${secs(runtime.startMs)}, ${runtime.rps.toFixed(0)} req/s`,
  );
  return { sizeBytes: info?.size ?? 0, compressedBytes, cold, source, deps: depsBuild, runtime, split };
}

/**
 * slipway's own commands on the reference backend: scan against docker save on the bench's
 * slipway image, then ship and verify on a private copy. Each group that cannot run is reported
 * missing (and fails its budget); the other groups still run.
 */
async function measureCommands(
  engine: ContainerEngine,
  cleanup: Cleanup,
  scratch: string,
  builders: readonly RecipeBuilder[],
  reps: number,
): Promise<CommandTimes> {
  const project = await ShipProject.create(engine, cleanup, BACKEND, join(scratch, 'ship-project'));
  // After the removal of the images they use: cleanup runs newest first, so these stop first.
  const processes = new TimedProcesses(cleanup);
  const vulnerabilityData = (await osvSources(undefined)).sources.length > 0;
  const runs = Math.max(reps, 3);
  const slipway = builders.find((builder) => builder.recipe.name === 'slipway');
  say(`scan vs docker save on the slipway image, ${runs} pairs`);
  const scanVsSave = await measure('scan vs docker save', cleanup, say, async () => {
    if (!slipway) throw new Error('no slipway recipe to scan');
    const info = await engine.inspectImage(slipway.tag);
    if (!info) throw new Error(`${slipway.tag} is not in the engine`);
    return measureScanVsSave(ROOT, processes, slipway.tag, info.size, runs, say);
  });
  say(`slipway ship on a copy of the reference backend: once, then ${reps} warm`);
  const ship = await measure('ship', cleanup, say, () => measureShip(ROOT, project, processes, reps, say));
  say(`slipway verify on the same copy, ${reps} runs`);
  const verify = await measure('verify', cleanup, say, () =>
    measureVerify(ROOT, project, processes, reps, say),
  );
  return { ship, verify, scanVsSave, vulnerabilityData };
}

async function bench(options: BenchOptions, cleanup: Cleanup): Promise<BenchResult> {
  const started = performance.now();
  // Unique per run, so that no edit or dependency change of an earlier run is in the layer cache.
  const runId = `${process.pid}-${Date.now().toString(36)}`;
  const engine = new DockerEngine();
  const machine = await describeMachine(engine);
  const scratch = await mkdtemp(join(tmpdir(), 'slipway-bench-'));
  cleanup.add(scratch, () => rm(scratch, { recursive: true, force: true }));
  cleanup.add('bench containers', async () =>
    engine.removeContainers(await engine.containersWithLabel(`${BENCH_LABEL}=${process.pid}`)),
  );

  say('locking the dependency variants with uv (in a container)');
  const uvScratch = join(scratch, 'uv-tool');
  await mkdir(uvScratch);
  const uv = await UvTool.create(engine, cleanup, uvScratch);
  const deps = await prepareDependencies(BACKEND, scratch, uv, options.reps, runId);
  const builders = await Promise.all(
    RECIPES.map(async (recipe) => {
      const context = await BuildContext.create(BACKEND, join(scratch, recipe.name), recipe.usesRequirements);
      if (recipe.base) {
        await writeGeneratedDockerfile(context.dir, recipe.base, {
          ...(recipe.bytecode === false ? { bytecode: false } : {}),
        });
      }
      return new RecipeBuilder(engine, recipe, context, BENCH_DIR, cleanup);
    }),
  );
  const uvCacheRecipes: RecipeName[] = [];
  for (const builder of builders) {
    const file = builder.recipe.dockerfile
      ? join(BENCH_DIR, builder.recipe.dockerfile)
      : join(builder.context.dir, 'Dockerfile');
    if (usesSharedUvCache(builder.recipe.name, await readFile(file, 'utf8')))
      uvCacheRecipes.push(builder.recipe.name);
  }
  say(`warming uv's cache mount with all ${deps.variants.length + 1} dependency sets (not measured)`);
  const uvWarmup = await warmUvCache(engine, cleanup, BACKEND, scratch, [deps.base, ...deps.variants]);
  const loadSamples = [loadavg()[0] ?? 0];

  // Repetitions outside, recipes inside: a slow spell on a shared machine hits every recipe alike.
  // The order rotates by one each repetition, so that no recipe always runs first (or last).
  const samples = new Map(RECIPES.map((recipe) => [recipe.name, [] as RecipeSample[]]));
  const recipeOrder: RecipeName[][] = [];
  for (let rep = 0; rep < options.reps; rep += 1) {
    const variant = deps.variants[rep];
    if (!variant) throw new Error(`no dependency variant for repetition ${rep + 1}`);
    const order = builders.map((_, index) => builders[(index + rep) % builders.length] as RecipeBuilder);
    recipeOrder.push(order.map((builder) => builder.recipe.name));
    for (const builder of order) {
      const sample = await measureRecipe(engine, builder, { base: deps.base, variant }, rep, runId, options);
      samples.get(builder.recipe.name)?.push(sample);
    }
  }

  loadSamples.push(loadavg()[0] ?? 0);
  const commands = await measureCommands(engine, cleanup, scratch, builders, options.reps);
  loadSamples.push(loadavg()[0] ?? 0);
  say('timing the slipway CLI on the reference backend');
  const cli = await measureCli(ROOT, BACKEND, options.reps);
  const recipes = RECIPES.map((recipe) =>
    summarise(recipe.name, recipe.title, samples.get(recipe.name) ?? []),
  );
  const slipway = recipes.find((recipe) => recipe.name === 'slipway');
  if (!slipway) throw new Error('no slipway results');
  return {
    machine,
    options,
    wallMs: performance.now() - started,
    loadAtEnd: loadavg()[0] ?? 0,
    loadSamples,
    recipes,
    fairness: { uvWarmup, uvCacheRecipes, recipeOrder },
    commands,
    cli,
    budgets: [
      ...checkBudgets(slipway),
      ...distrolessBudget(recipes),
      ...buildBudgets(recipes),
      ...commandBudgets(commands),
      ...cliBudgets(cli),
    ],
  };
}

/**
 * Fractions rounded to 0.1 (ms, requests/s): the rest is noise. A ratio keeps three decimals:
 * at 0.1, 2.04x would read as 2.0x, on the passing side of a 2x budget.
 */
async function writeJson(file: string, result: BenchResult): Promise<void> {
  const round = (key: string, value: unknown) => {
    if (typeof value !== 'number' || Number.isInteger(value)) return value;
    const scale = key === 'ratio' ? 1000 : 10;
    return Math.round(value * scale) / scale;
  };
  await writeFile(file, `${JSON.stringify(result, round, 2)}\n`);
  // bench/results/ is ignored by git but not by Biome: keep `npm run lint` clean after a run.
  await exec(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', file], {
    allowFailure: true,
  });
}

async function main(): Promise<number> {
  const cleanup = new Cleanup();
  cleanup.exitOnSignals();
  try {
    const result = await bench(parseOptions(process.argv.slice(2)), cleanup);
    const markdown = renderMarkdown(result);
    await mkdir(RESULTS, { recursive: true });
    await writeFile(join(RESULTS, 'latest.md'), markdown);
    await writeJson(join(RESULTS, 'latest.json'), result);
    process.stdout.write(markdown);
    say(`wrote ${join(RESULTS, 'latest.md')} and latest.json`);
    const failed = result.budgets.filter((budget) => !budget.pass);
    for (const budget of failed) say(`budget FAILED: ${budget.name}: ${budget.detail}`);
    return failed.length > 0 ? 1 : 0;
  } catch (error) {
    if (!cleanup.interrupted) say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    say('removing the containers, images and temp folders the bench created');
    await cleanup.run();
  }
}

process.exitCode = await main();

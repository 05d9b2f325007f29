import { EXIT_LAG_LIMIT_MS, mb, SCAN_SAVE_RATIO, VERIFY_LIMIT_MS, WARM_SHIP_LIMIT_MS } from './budgets.js';
import { startRatio } from './cli-times.js';
import { type Measured, measuredValue } from './measured.js';
import type { BenchResult, CommandTimes, RecipeResult } from './results.js';
import type { Spread } from './stats.js';

interface Row {
  readonly label: string;
  readonly pick: (recipe: RecipeResult) => Spread;
  readonly format: (value: number) => string;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const ROWS: readonly Row[] = [
  { label: 'image size (MB)', pick: (r) => r.sizeBytes, format: (v) => mb(v) },
  { label: 'compressed, gzip layers (MB)', pick: (r) => r.compressedBytes, format: (v) => mb(v) },
  { label: 'cold build (s)', pick: (r) => r.coldMs, format: seconds },
  { label: 'rebuild after source edit (s)', pick: (r) => r.sourceMs, format: seconds },
  { label: 'rebuild after dependency change (s)', pick: (r) => r.depsMs, format: seconds },
  { label: '`docker run` → first 200 (s)', pick: (r) => r.startMs, format: (v) => (v / 1000).toFixed(2) },
  { label: 'RSS after start (MB)', pick: (r) => r.rssBytes, format: (v) => mb(v) },
  { label: 'requests/s (1 worker)', pick: (r) => r.rps, format: (v) => v.toFixed(0) },
];

function cell(value: Spread, format: (value: number) => string): string {
  // The same at the shown precision: a range would only show noise below it.
  if (format(value.min) === format(value.max)) return format(value.median);
  return `${format(value.median)} (${format(value.min)}–${format(value.max)})`;
}

/** slipway's median over the recipe's median: see the note under the table. */
function ratio(slipway: Spread, other: Spread): string {
  return other.median === 0 ? 'n/a' : `${(slipway.median / other.median).toFixed(2)}x`;
}

function comparison(result: BenchResult): string[] {
  const [slipway, ...others] = result.recipes;
  if (!slipway) return [];
  const lines = [
    `| metric | ${result.recipes.map((r) => `\`${r.name}\``).join(' | ')} |`,
    `| --- | ${result.recipes.map(() => '---').join(' | ')} |`,
  ];
  for (const row of ROWS) {
    const cells = [cell(row.pick(slipway), row.format)];
    for (const other of others) {
      cells.push(`${cell(row.pick(other), row.format)} · **${ratio(row.pick(slipway), row.pick(other))}**`);
    }
    lines.push(`| ${row.label} | ${cells.join(' | ')} |`);
  }
  const reuse = (r: RecipeResult) =>
    `${r.depsReusedOnSourceChange.every(Boolean) ? 'yes' : 'no'} (${r.depsReusedOnSourceChange.filter(Boolean).length}/${r.depsReusedOnSourceChange.length})`;
  lines.push(`| dependency layer reused after source edit | ${result.recipes.map(reuse).join(' | ')} |`);
  return lines;
}

/** What compiling bytecode at build time costs and gains: slipway against itself without it. */
function bytecode(result: BenchResult): string[] {
  const on = result.recipes.find((r) => r.name === 'slipway');
  const off = result.recipes.find((r) => r.name === 'slipway-no-bytecode');
  if (!on || !off) return [];
  const delta = (a: number, b: number) => `${a - b >= 0 ? '+' : '−'}${(Math.abs(a - b) / 1000).toFixed(2)} s`;
  return [
    '### What bytecode costs and gains (`slipway` vs `slipway-no-bytecode`, medians)',
    '',
    `- build: cold ${delta(on.coldMs.median, off.coldMs.median)}, after a dependency change ${delta(on.depsMs.median, off.depsMs.median)}, after a source edit ${delta(on.sourceMs.median, off.sourceMs.median)}`,
    `- image: ${on.sizeBytes.median - off.sizeBytes.median >= 0 ? '+' : '−'}${mb(Math.abs(on.sizeBytes.median - off.sizeBytes.median))} MB (compressed ${on.compressedBytes.median - off.compressedBytes.median >= 0 ? '+' : '−'}${mb(Math.abs(on.compressedBytes.median - off.compressedBytes.median))} MB)`,
    `- every container start: \`docker run\` → first 200 ${delta(on.startMs.median, off.startMs.median)} (${(on.startMs.median / 1000).toFixed(2)} s vs ${(off.startMs.median / 1000).toFixed(2)} s); the image sets PYTHONDONTWRITEBYTECODE (and pods run with a read-only root filesystem), so without them every start compiles the imported modules again`,
    '',
  ];
}

function split(result: BenchResult): string[] {
  const rows = result.recipes.flatMap((recipe) => {
    const last = recipe.splits.at(-1);
    if (!last) return [];
    return [
      `| \`${recipe.name}\` | ${mb(last.base)} MB | ${mb(last.venvLayer)} MB | ${mb(last.projectLayer, 3)} MB | ${mb(last.app, 3)} MB | ${mb(last.overhead, 3)} MB | ${mb(last.userLayer, 3)} MB | ${mb(last.total)} MB |`,
    ];
  });
  if (rows.length === 0) return [];
  return [
    '| image | base image | venv layers (deps + app) | of which the project layer | of which the app | rest (user layer, standard library byte code, folders) | of which the user layer | total |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ];
}

const secs2 = (ms: number) => (ms / 1000).toFixed(2);
const runs = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** One row of the commands table: the value, or why it is missing (never a pass). */
function commandRow<T>(
  label: string,
  result: Measured<T>,
  pick: (value: T) => string,
  target = '',
  pass?: (value: T) => boolean,
): string {
  if (!('value' in result)) {
    const why = (result.missing.split('\n')[0] ?? '').replaceAll('|', '\\|');
    return `| ${label} | missing: ${why} | ${target} | ${target ? 'FAIL' : ''} |`;
  }
  const verdict = pass ? (pass(result.value) ? 'PASS' : 'FAIL') : '';
  return `| ${label} | ${pick(result.value)} | ${target} | ${verdict} |`;
}

function commands(c: CommandTimes): string[] {
  const ship = measuredValue(c.ship);
  const verify = measuredValue(c.verify);
  const scan = measuredValue(c.scanVsSave);
  const lastShip = ship?.runs.at(-1);
  const lastVerify = verify?.runs.at(-1);
  const notes = [
    ship && lastShip
      ? `- ship: \`node bin/slipway.js ship <copy>\` (text output, NO_COLOR=1) on a private copy of the backend whose \`[tool.slipway] image.name\` is \`${ship.image.split(':')[0]}\`; ` +
        `once unmeasured (${secs2(ship.first.ms)} s; its build: ${ship.first.stages.find((st) => st.stage === 'build')?.summary ?? 'n/a'}), then ${runs(ship.runs.length, 'measured run')} with the layer cache warm ` +
        `(last build: ${lastShip.stages.find((st) => st.stage === 'build')?.summary ?? 'n/a'}). ` +
        `Ship has no deploy or push stage; the last measured run: ${lastShip.stages.map((st) => `${st.stage} ${st.status}`).join(', ')} (exit ${lastShip.code}; ${lastShip.stages.find((st) => st.stage === 'verify')?.summary ?? ''}). ` +
        `Exit lag is from the last byte on stdout or stderr to the process's exit, over all ${runs(ship.exitLagMs.samples.length, 'run')}; the pipes closed ${secs2(ship.closeLagMs.max)} s after the exit at worst.`
      : '',
    verify && lastVerify
      ? `- verify: \`node bin/slipway.js verify <copy> --json\`, ${runs(verify.runs.length, 'run')} after the ships: it analyzes and builds the copy first (every layer from the cache), then runs its checks; ` +
        `wall time includes all of it, "own total" is the report's durationMs (the checks). Last run: ${lastVerify.passed} passed, failed: ${lastVerify.failed.join(', ') || 'none'}, skipped: ${lastVerify.skipped.join(', ') || 'none'}.`
      : '',
    scan
      ? `- scan vs docker save: on \`${scan.image}\` (${mb(scan.imageBytes)} MB), ${scan.scanMs.samples.length} pairs after one unmeasured run of each, the first of each pair alternating; ` +
        '`docker save IMAGE` with stdout on /dev/null (not `-o /dev/null`: the docker CLI writes to a temporary file beside the target and renames it over it), `slipway scan IMAGE` with table output, whatever scan is in dist/ at run time.'
      : '',
    `- vulnerability data: ${c.vulnerabilityData ? 'the OSV cache was present' : 'none on this machine (no --update-db cache): scan and verify.scan read every layer (SBOM, secrets, hardening) but match no vulnerabilities, and verify.scan is a skip'}.`,
    ship || verify
      ? `- containers of these images left after the runs (slipway should leave none): ship ${ship ? ship.leftoverContainers : 'n/a'}, verify ${verify ? verify.leftoverContainers : 'n/a'}.`
      : '',
  ].filter(Boolean);
  return [
    '| measurement | median (min–max) | budget | |',
    '| --- | --- | --- | --- |',
    commandRow(
      '`slipway verify <project>`, wall (s)',
      c.verify,
      (v) => cell(v.ms, secs2),
      `≤ ${VERIFY_LIMIT_MS / 1000} s`,
      (v) => v.ms.median <= VERIFY_LIMIT_MS,
    ),
    commandRow("verify's own total (s)", c.verify, (v) => cell(v.reportedMs, secs2)),
    commandRow(
      '`slipway ship <project>`, warm (s)',
      c.ship,
      (v) => cell(v.ms, secs2),
      `≤ ${WARM_SHIP_LIMIT_MS / 1000} s`,
      (v) => v.ms.median <= WARM_SHIP_LIMIT_MS,
    ),
    commandRow(
      'ship: last output → exit (s)',
      c.ship,
      (v) => `${cell(v.exitLagMs, secs2)}, worst ${secs2(v.exitLagMs.max)}`,
      `worst ≤ ${EXIT_LAG_LIMIT_MS / 1000} s`,
      (v) => v.exitLagMs.max <= EXIT_LAG_LIMIT_MS,
    ),
    commandRow('`docker save` → /dev/null (s)', c.scanVsSave, (v) => cell(v.saveMs, secs2)),
    commandRow('`slipway scan` (s)', c.scanVsSave, (v) => cell(v.scanMs, secs2)),
    commandRow(
      'scan ÷ docker save (medians)',
      c.scanVsSave,
      (v) => `${v.ratio.toFixed(2)}x`,
      `≤ ${SCAN_SAVE_RATIO}x`,
      (v) => v.ratio <= SCAN_SAVE_RATIO,
    ),
    '',
    ...notes,
  ];
}

export function renderMarkdown(result: BenchResult): string {
  const { machine: m, options: o } = result;
  const recipes = result.recipes.map((r) => `\`${r.name}\`: ${r.title}`).join('; ');
  const failed = result.recipes.filter((r) => r.failedRequests > 0);
  return [
    `## slipway bench (${m.date.slice(0, 10)})`,
    '',
    ...comparison(result),
    '',
    `Each cell: median (min–max) of ${o.reps} repetitions. **Ratio = slipway's median ÷ that recipe's median**: ` +
      'below 1x slipway is smaller, faster or uses less memory; for requests/s above 1x slipway serves more. ' +
      `Recipes: ${recipes}.`,
    '',
    "- cold build: `--no-cache`, no layer reused; BuildKit cache mounts are not cleared. uv's shared cache mount " +
      `(used by ${result.fairness.uvCacheRecipes.map((r) => `\`${r}\``).join(', ')}) was filled before any measurement with all ` +
      `${result.fairness.uvWarmup.sets} dependency sets (${(result.fairness.uvWarmup.ms / 1000).toFixed(0)} s of throwaway builds), so those recipes ` +
      'install every variant from it alike; `full-pip` and `slim-uv-single` use no cache and download everything.',
    `- order: rotated by one recipe per repetition (${result.fairness.recipeOrder.map((o) => o[0]).join(', ')} first).`,
    '- rebuilds: warm layer cache, after a comment added to `src/inventory_api/main.py`, or after adding a ' +
      'different `six` version to pyproject.toml + uv.lock (+ requirements.txt for `full-pip`).',
    `- start: from \`docker run\` to the first 200 on /healthz (polled every 25 ms on 127.0.0.1); RSS: sum of the container's processes 1 s later (\`docker top\`).`,
    `- load: GET /api/items?limit=10 on 127.0.0.1, ${o.concurrency} keep-alive connections, ${o.durationS} s ` +
      `after a 1 s warm-up, at most ${o.maxRequests} requests; one uvicorn worker in every image.` +
      (failed.length > 0
        ? ` Non-200 answers: ${failed.map((r) => `${r.name} ${r.failedRequests}`).join(', ')}.`
        : ''),
    '',
    "### slipway's images",
    '',
    ...split(result),
    '',
    ...bytecode(result),
    "### slipway's commands on the reference backend (issues 15 and 17)",
    '',
    ...commands(result.commands),
    '',
    '### slipway CLI on the reference backend (wall time, process start included)',
    '',
    '| command | seconds | × bare node | target |',
    '| --- | --- | --- | --- |',
    ...result.cli.map(
      (c) =>
        `| \`${c.command}\` | ${cell(c.ms, (v) => (v / 1000).toFixed(2))} | ${startRatio(result.cli, c).toFixed(1)}x | ${c.budget ? `≤ ${c.budget}x` : ''} |`,
    ),
    '',
    '### Budgets',
    '',
    ...result.budgets.map((b) => `- ${b.pass ? 'PASS' : 'FAIL'} ${b.name}: ${b.detail}`),
    '',
    '### Machine',
    '',
    `${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.kernel}; Docker server ${m.docker.server}, ` +
      `client ${m.docker.client}, buildx ${m.docker.buildx}; Node ${m.node}. Base images are the test bed's local ` +
      'stand-ins (Debian trixie packages), not the official images. ' +
      `Shared engine: ${m.otherContainersAtStart} other containers running at start; 1-min load average ` +
      `${m.loadAtStart.toFixed(2)} at start, ${result.loadSamples.map((l) => l.toFixed(2)).join(', ')} between the parts (builds, commands, CLI), ${result.loadAtEnd.toFixed(2)} at end: the numbers are as noisy as the machine was busy. ` +
      `Measuring took ${(result.wallMs / 60000).toFixed(1)} min (test bed and CLI build not included). MB = 10^6 bytes.`,
    '',
  ].join('\n');
}

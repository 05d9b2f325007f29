import { mb } from './budgets.js';
import { startRatio } from './cli-times.js';
import type { BenchResult, RecipeResult } from './results.js';
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
  if (value.min === value.max) return format(value.median);
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

function split(result: BenchResult): string[] {
  const rows = result.recipes.flatMap((recipe) => {
    const last = recipe.splits.at(-1);
    if (!last) return [];
    return [
      `| \`${recipe.name}\` | ${mb(last.base)} MB | ${mb(last.venvLayer)} MB | ${mb(last.app, 3)} MB | ${mb(last.overhead, 3)} MB | ${mb(last.userLayer, 3)} MB | ${mb(last.total)} MB |`,
    ];
  });
  if (rows.length === 0) return [];
  return [
    '| image | base image | venv layer (deps + app) | of which the app | rest (user layer, standard library byte code, folders) | of which the user layer | total |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
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
    "- cold build: `--no-cache`, no layer reused; BuildKit cache mounts are not cleared (uv's download cache " +
      'in `slipway` and `multistage-uv` may be warm; `full-pip` and `slim-uv-single` download everything).',
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
      `${m.loadAtStart.toFixed(2)} at start, ${result.loadAtEnd.toFixed(2)} at end. ` +
      `Measuring took ${(result.wallMs / 60000).toFixed(1)} min (test bed and CLI build not included). MB = 10^6 bytes.`,
    '',
  ].join('\n');
}

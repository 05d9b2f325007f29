#!/usr/bin/env node
// Bundles the CLI (dist/cli.js, written by tsc) into dist/bin/: one entry file and shared chunks,
// each command still loaded only when it runs (esbuild splits at the dynamic imports). Node's ES
// module loader spends most of a short command's start resolving and linking files one by one:
// ~380 of them before the bundle, a few dozen after. Run by `npm run build`, after tsc and
// validators.mjs. The library (dist/index.js) stays tsc's output.
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const out = join(dist, 'bin');
const staging = `${out}.tmp`;

rmSync(staging, { recursive: true, force: true });
await build({
  entryPoints: [join(dist, 'cli.js')],
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages that load parts of themselves by computed paths stay as they are in node_modules.
  external: ['@cyclonedx/*', '@kubernetes/*'],
  // CommonJS dependencies call require() for Node's own modules; an ES module has no require.
  banner: {
    js: "import { createRequire as __slipwayCreateRequire } from 'node:module'; const require = __slipwayCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// Paths the code finds next to itself: src/kube/schema.ts reads ./schemas/validators.cjs, and
// dist/bin/ sits as deep as dist/<folder>/, so '../../package.json' still names the package's.
mkdirSync(join(staging, 'schemas'));
copyFileSync(join(dist, 'kube', 'schemas', 'validators.cjs'), join(staging, 'schemas', 'validators.cjs'));
rmSync(out, { recursive: true, force: true });
renameSync(staging, out);

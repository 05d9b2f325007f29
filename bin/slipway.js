#!/usr/bin/env node
// dist/bin/ is the bundled CLI (scripts/build/bundle.mjs), written by `npm run build`.
import('../dist/bin/cli.js').then((cli) => cli.main(process.argv.slice(2)));

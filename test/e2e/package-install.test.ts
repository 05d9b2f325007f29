import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_LABEL } from '../../src/engines/engine.js';
import { type CliResult, repoRoot } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

/**
 * slipway as an npm user gets it: `npm pack` (its prepack builds dist/ from a clean slate),
 * `npm install <tarball>` into an empty folder (dependencies from the npm registry), then the
 * installed `node_modules/.bin/slipway` run inside a project folder of its own. The pack runs in
 * a copy of the repository, so the shared dist/ is never removed under other tests; the copy gets
 * a stale build file and the example a virtualenv and caches, which must all stay out.
 */
interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string }[];
}

let work = '';
let packed: Packed;
let installed = '';
let project = '';

function run(command: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The installed CLI, run from the project folder the way a user runs it. */
function slipway(args: readonly string[], cwd = project): Promise<CliResult> {
  return run(join(installed, 'node_modules', '.bin', 'slipway'), args, cwd);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'slipway-pack-'));
  const source = join(work, 'source');
  const skip = new Set(['node_modules', 'dist', '.git'].map((entry) => join(repoRoot, entry)));
  cpSync(repoRoot, source, { recursive: true, filter: (path) => !skip.has(path) });
  symlinkSync(join(repoRoot, 'node_modules'), join(source, 'node_modules'), 'dir');
  // What a developer's tree holds and the package must not: a stale build output, the example's
  // virtualenv and Python caches.
  mkdirSync(join(source, 'dist', 'gone-module'), { recursive: true });
  writeFileSync(join(source, 'dist', 'gone-module', 'index.js'), 'export {};\n');
  const example = join(source, 'examples', 'backend');
  for (const dir of ['.venv/bin', 'src/inventory_api/__pycache__', '.pytest_cache']) {
    mkdirSync(join(example, dir), { recursive: true });
  }
  writeFileSync(join(example, '.venv', 'bin', 'python'), '#!/bin/sh\n');
  writeFileSync(join(example, 'src', 'inventory_api', '__pycache__', 'main.cpython-313.pyc'), 'x');
  writeFileSync(join(example, '.pytest_cache', 'README.md'), 'cache\n');
  writeFileSync(join(example, 'inventory.db'), 'x');

  const out = join(work, 'pack');
  mkdirSync(out);
  const pack = await run('npm', ['pack', '--json', '--pack-destination', out], source);
  expect(pack.code, pack.stderr).toBe(0);
  // The prepack's build logs go to stdout before the JSON.
  const json = pack.stdout.slice(pack.stdout.search(/^\[$/m));
  packed = (JSON.parse(json) as Packed[])[0] as Packed;
  console.log(
    `packed ${packed.filename}: ${packed.size} bytes (${packed.unpackedSize} unpacked), ${packed.entryCount} files`,
  );

  installed = join(work, 'consumer');
  mkdirSync(installed);
  // Without a package.json of its own npm would install into the nearest folder above that has one.
  writeFileSync(join(installed, 'package.json'), '{ "name": "consumer", "private": true }\n');
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', join(out, packed.filename)],
    installed,
  );
  expect(install.code, install.stdout + install.stderr).toBe(0);

  project = join(work, 'my-api');
  cpSync(join(repoRoot, 'test', 'fixtures', 'projects', 'flat-module'), project, { recursive: true });
  rmSync(join(project, 'expected.json'));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the CLI, its build, the docs and the bundled example, and nothing else', () => {
    const paths = packed.files.map((file) => file.path);
    for (const path of [
      'bin/slipway.js',
      'dist/cli.js',
      'dist/index.js',
      'dist/index.d.ts',
      'examples/backend/pyproject.toml',
      'examples/backend/uv.lock',
      'examples/backend/Dockerfile',
      'examples/backend/.dockerignore',
      'examples/backend/src/inventory_api/main.py',
      'examples/backend/deploy/k8s/base/deployment.yaml',
      'docs/commands/deploy.md',
      'scripts/testbed/up.sh',
    ]) {
      expect(paths, path).toContain(path);
    }
    const unwanted = paths.filter(
      (path) =>
        /^(src|test|bench|node_modules)\//.test(path) ||
        /(^|\/)(\.venv|__pycache__|\.pytest_cache)\//.test(path) ||
        /\.(map|db|tgz)$/.test(path) ||
        /^dist\/(gone-module|bench-build)\//.test(path),
    );
    expect(unwanted).toEqual([]);
    // The reference backend and the CLI stay small: a regression here is a file that slipped in.
    expect(packed.size).toBeLessThan(2_000_000);
  });

  it('installs a working slipway binary', async () => {
    const version = await slipway(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('`init` writes into the project folder it runs in, and `check` passes there', async () => {
    const init = await slipway(['init']);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    for (const file of ['Dockerfile', '.dockerignore', 'deploy/k8s/base/deployment.yaml']) {
      expect(existsSync(join(project, file)), file).toBe(true);
    }
    // The installed package's own example is untouched.
    const bundled = join(installed, 'node_modules', 'slipway', 'examples', 'backend');
    expect(readdirSync(bundled).sort()).toEqual(
      [...readdirSync(join(repoRoot, 'examples', 'backend'))]
        .filter((entry) => !/^(\.gitignore|\.venv|\.pytest_cache|__pycache__|.*\.db)$/.test(entry))
        .sort(),
    );
    const check = await slipway(['check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('`analyze --example` reads the bundled reference backend from the installed package', async () => {
    const analyze = await slipway(['analyze', '--example', '--json']);
    expect(analyze.code, analyze.stderr).toBe(0);
    const model = JSON.parse(analyze.stdout) as { name: string; root: string };
    expect(model.name).toBe('inventory-api');
    expect(model.root).toBe(join(installed, 'node_modules', 'slipway', 'examples', 'backend'));
  });

  it('`ship` builds the project with the engine and verifies the image', async () => {
    const engine = await realEngine();
    const before = new Set(await engine.containersWithLabel(`${OWNER_LABEL}=slipway`));
    const ship = await slipway(['ship', '--osv', join(repoRoot, 'test', 'fixtures', 'scan', 'osv')]);
    expect(ship.code, ship.stdout + ship.stderr).toBe(0);
    expect(ship.stdout).toMatch(/^shipped flat-module:0\.1\.0 in [\d.]+s: every stage passed$/m);
    expect(ship.stdout).toMatch(/^✓ verify /m);
    const left = (await engine.containersWithLabel(`${OWNER_LABEL}=slipway`)).filter((id) => !before.has(id));
    expect(left).toEqual([]);
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Pyproject } from './pyproject.js';
import { getPath } from './toml.js';

export interface Layout {
  readonly layout: 'src' | 'flat';
  readonly sourceRoots: readonly string[];
  readonly sourcePaths: readonly string[];
}

// Top-level folders and files beside pyproject.toml that are tooling, not the service's code.
const NOT_SOURCE_DIRS = new Set([
  'tests',
  'test',
  'docs',
  'doc',
  'scripts',
  'examples',
  'deploy',
  'build',
  'dist',
]);
const NOT_SOURCE_FILES = new Set(['setup.py', 'conftest.py', 'noxfile.py']);
const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** Packages (folders with .py files) and modules directly under `dir`, relative to root. */
function topLevel(root: string, dir: string): string[] {
  const abs = join(root, dir);
  const out: string[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const rel = dir === '.' ? entry.name : posix.join(dir, entry.name);
    if (entry.isFile()) {
      const stem = entry.name.replace(/\.py$/, '');
      if (entry.name.endsWith('.py') && IDENTIFIER.test(stem) && !NOT_SOURCE_FILES.has(entry.name)) {
        if (!/^test_|_test$/.test(stem)) out.push(rel);
      }
      continue;
    }
    if (!entry.isDirectory() || !IDENTIFIER.test(entry.name) || NOT_SOURCE_DIRS.has(entry.name)) continue;
    const inside = readdirSync(join(abs, entry.name));
    // A nested pyproject.toml is another project (a workspace member), not a package of this one.
    if (inside.includes('pyproject.toml')) continue;
    if (inside.some((name) => name.endsWith('.py'))) out.push(rel);
  }
  return out;
}

/**
 * src layout when the build backend's module root says so (uv_build's `module-root`, default
 * `src`) or, without it, when src/ holds Python code; flat otherwise.
 */
export function detectLayout(project: Pyproject): Layout {
  const configured = getPath(project.data, 'tool.uv.build-backend.module-root');
  const root = project.dir;
  const hatch = hatchPackages(project);
  if (hatch) return hatch;
  let moduleRoot: string;
  if (typeof configured === 'string') moduleRoot = configured.replace(/^\.\/?|\/+$/g, '') || '.';
  else if (srcIsAPackage(project)) moduleRoot = '.';
  else moduleRoot = existsSync(join(root, 'src')) && topLevel(root, 'src').length > 0 ? 'src' : '.';
  if (moduleRoot === '.') return { layout: 'flat', sourceRoots: ['.'], sourcePaths: topLevel(root, '.') };
  // Any other module root (e.g. `lib`) works like src/: an import root that is not the project folder.
  const paths = existsSync(join(root, moduleRoot)) ? topLevel(root, moduleRoot) : [];
  return { layout: 'src', sourceRoots: [moduleRoot], sourcePaths: paths };
}

/**
 * `src/__init__.py` makes src a package, not an import root: its modules import each other as
 * `from .config import ...` or `from src.config import ...`, and run as `uvicorn src.main:app`
 * (`fastapi run src/main.py` finds the same name by walking up the `__init__.py` files). uv_build
 * alone ignores that file (its module root is src by default).
 */
function srcIsAPackage(project: Pyproject): boolean {
  const backend = getPath(project.data, 'build-system.build-backend');
  if (backend === 'uv_build') return false;
  if (existsSync(join(project.dir, 'src', '__init__.py'))) return true;
  // Without the file, a virtual project whose code imports `src.…` uses src as a namespace
  // package (PEP 420), run from the project folder (`uvicorn src.main:app`).
  return !project.packaged && importsSrc(join(project.dir, 'src'), 0);
}

const IMPORTS_SRC =
  /^[ \t]*(?:from[ \t]+src(?:\.\w+)*[ \t]+import\b|import[ \t]+src(?:\.|[ \t]*$|[ \t]*,|[ \t]+as\b))/m;

/** Whether a .py file under `dir` (a few levels down) imports the `src` package absolutely. */
function importsSrc(dir: string, depth: number): boolean {
  if (!existsSync(dir) || depth > 4) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (IDENTIFIER.test(entry.name) && !NOT_SOURCE_DIRS.has(entry.name) && importsSrc(path, depth + 1))
        return true;
    } else if (entry.isFile() && entry.name.endsWith('.py') && IMPORTS_SRC.test(readFileSync(path, 'utf8'))) {
      return true;
    }
  }
  return false;
}

/**
 * hatchling's `[tool.hatch.build.targets.wheel] packages`: each folder is installed under its own
 * name, so `packages = ["src"]` makes `src` itself the top-level package (imports read
 * `from src.api import ...`), while `packages = ["src/shop"]` installs `shop` from the src root.
 */
function hatchPackages(project: Pyproject): Layout | undefined {
  const packages = getPath(project.data, 'tool.hatch.build.targets.wheel.packages');
  if (!Array.isArray(packages) || packages.length === 0) return undefined;
  const paths = packages
    .filter((p): p is string => typeof p === 'string')
    .map((p) => p.replace(/^\.\/|\/+$/g, ''))
    .filter((p) => existsSync(join(project.dir, p)));
  if (paths.length === 0) return undefined;
  const roots = [...new Set(paths.map((p) => posix.dirname(p)))];
  return { layout: roots.every((r) => r === '.') ? 'flat' : 'src', sourceRoots: roots, sourcePaths: paths };
}

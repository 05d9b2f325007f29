import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { AppOverride } from './app.js';
import type { PythonModule } from './python-source.js';
import type { RouteGraph } from './routes.js';
import { findStartSources, type StartSource } from './start-sources.js';
import type { TomlTable } from './toml.js';

// fastapi-cli's search when `fastapi run` names no file.
const FASTAPI_DEFAULT_FILES = ['main.py', 'app.py', 'api.py', 'app/main.py', 'app/app.py', 'app/api.py'];

/**
 * Folders on disk a command's imports start from: its WORKDIR mapped back onto the project
 * (`/app/src` → `<dir>/src` when the Dockerfile copies the project to /app), else the file's folder.
 */
function importBases(source: StartSource, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const segments = (source.workdir ?? '').split('/').filter(Boolean);
  for (const base of [source.dir, ...dirs]) {
    for (let k = 0; k < segments.length; k++) {
      const candidate = join(base, ...segments.slice(k));
      if (existsSync(candidate)) out.push(candidate);
    }
    out.push(base);
  }
  const appDir = source.target.appDir;
  return [...new Set(appDir ? out.map((b) => join(b, appDir)) : out)];
}

const moduleFile = (base: string, module: string) =>
  [`${join(base, ...module.split('.'))}.py`, join(base, ...module.split('.'), '__init__.py')].find((f) =>
    existsSync(f),
  );

/** fastapi-cli's import name of a file: up through the folders that hold an `__init__.py`. */
function fastapiModuleName(file: string): string {
  const parts = [file.replace(/\.py$/, '').split(/[\\/]/).pop() ?? ''];
  for (let dir = dirname(file); existsSync(join(dir, '__init__.py')); dir = dirname(dir)) {
    parts.unshift(dir.split(/[\\/]/).pop() ?? '');
  }
  return parts.filter((p) => p !== '__init__').join('.');
}

/**
 * The `module:attr` a start command serves, in the names this project's image imports: the
 * project module that is that file when analyze read it, else the command's own name.
 */
export function resolveStart(
  source: StartSource,
  root: string,
  dirs: readonly string[],
  modules: readonly PythonModule[],
  graph: RouteGraph,
): AppOverride | undefined {
  const { target } = source;
  let file: string | undefined;
  let name = target.module;
  for (const base of importBases(source, dirs)) {
    if (target.module) file = moduleFile(base, target.module);
    else {
      const paths = target.path ? [target.path] : FASTAPI_DEFAULT_FILES;
      file = paths.map((p) => join(base, p)).find((p) => existsSync(p) && p.endsWith('.py'));
      if (file) name = fastapiModuleName(file);
    }
    if (file) break;
  }
  if (!file || !name) return undefined;
  const rel = relative(root, file).split('\\').join('/');
  const module = modules.find((m) => m.file === rel);
  const moduleName = module?.name ?? name;
  let attribute = target.attribute;
  if (!attribute) {
    // fastapi-cli takes `app`, then `api`, then the module's first FastAPI instance.
    const apps = [...graph.objects.values()].filter((o) => o.module === moduleName && o.kind === 'app');
    attribute = ['app', 'api'].find((n) => module?.imports.has(n) || apps.some((a) => a.name === n));
    attribute ??= apps.find((a) => a.topLevel)?.name ?? 'app';
  }
  return {
    value: `${moduleName}:${attribute}${target.factory ? '()' : ''}`,
    source: 'start-command',
    where: source.where,
  };
}

/** The apps the project's own start commands serve, in the order they decide. */
export function startApps(
  project: TomlTable,
  root: string,
  workspaceRoot: string | undefined,
  modules: readonly PythonModule[],
  graph: RouteGraph,
): AppOverride[] {
  const dirs = workspaceRoot && workspaceRoot !== root ? [root, workspaceRoot] : [root];
  return findStartSources(project, dirs)
    .map((source) => resolveStart(source, root, dirs, modules, graph))
    .filter((start) => start !== undefined);
}

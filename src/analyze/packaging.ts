import { existsSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ProjectModel } from './model.js';
import type { Pyproject } from './pyproject.js';
import type { PythonModule } from './python-source.js';
import { normalizeName } from './requirements.js';
import { getPath, table } from './toml.js';
import { hatchTopLevels, pdmTopLevels } from './wheel-paths.js';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const topOf = (path: string) => posix.basename(path.replace(/\/+$/, '')).replace(/\.py$/, '');

/** Top-level folders with an `__init__.py` under `dir` (setuptools' find_packages). */
function findPackages(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(abs, e.name, '__init__.py')))
    .map((e) => e.name);
}

/**
 * The top-level import names the project's wheel installs, as its build backend is configured;
 * undefined when the configuration leaves it to discovery that matches analyze's own layout.
 */
export function wheelTopLevels(project: Pyproject): string[] | undefined {
  const data = project.data;
  const backend = String(getPath(data, 'build-system.build-backend') ?? '');
  if (backend.startsWith('setuptools')) {
    const st = table(getPath(data, 'tool.setuptools')) ?? {};
    const modules = strings(st['py-modules']);
    if (Array.isArray(st.packages)) {
      return [...new Set([...strings(st.packages).map((p) => p.split('.')[0] ?? p), ...modules])];
    }
    const find = table(table(st.packages)?.find);
    if (find) {
      const include = strings(find.include).map(
        (p) => new RegExp(`^${p.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`),
      );
      const found = strings(find.where).flatMap((where) => findPackages(project.dir, where));
      const where = find.where === undefined ? findPackages(project.dir, '.') : found;
      return [...where.filter((p) => include.length === 0 || include.some((r) => r.test(p))), ...modules];
    }
    // `package-dir = {"core" = "core"}` without `packages`: the mapped packages are what it installs.
    const mapped = Object.keys(table(st['package-dir']) ?? {}).filter((k) => k !== '');
    if (mapped.length > 0) return [...new Set([...mapped.map((p) => p.split('.')[0] ?? p), ...modules])];
    return modules.length > 0 ? modules : undefined;
  }
  if (backend.startsWith('uv_build')) {
    const name = getPath(data, 'tool.uv.build-backend.module-name');
    if (typeof name === 'string') return [name.split('.')[0] ?? name];
    if (Array.isArray(name)) return strings(name).map((n) => n.split('.')[0] ?? n);
    return [normalizeName(project.name).replace(/-/g, '_')];
  }
  if (backend.startsWith('flit')) {
    const name = getPath(data, 'tool.flit.module.name');
    return [typeof name === 'string' ? name : normalizeName(project.name).replace(/-/g, '_')];
  }
  if (backend.startsWith('poetry')) {
    const packages = getPath(data, 'tool.poetry.packages');
    if (Array.isArray(packages)) return packages.map((p) => topOf(String(table(p)?.include ?? '')));
    return undefined;
  }
  if (backend.startsWith('hatchling')) return hatchTopLevels(data);
  if (backend.startsWith('pdm')) return pdmTopLevels(data, existsSync(join(project.dir, 'src')));
  return undefined;
}

/**
 * Source folders (relative to the project root) the app imports that the wheel does not
 * install: the app's own top-level package, and the project's top-level packages it imports.
 * The final stage copies them beside the environment and puts their root on PYTHONPATH.
 */
export function sourcesOutsideWheel(
  project: Pyproject,
  packaged: boolean,
  appModule: string,
  modules: readonly PythonModule[],
  sourcePaths: readonly string[],
): string[] {
  const installed = packaged ? wheelTopLevels(project) : undefined;
  if (!installed) return [];
  const top = (name: string) => name.split('.')[0] ?? name;
  const needed = new Set([top(appModule)]);
  for (const module of modules) {
    if (top(module.name) !== top(appModule)) continue;
    for (const binding of module.imports.values()) needed.add(top(binding.module));
  }
  return sourcePaths.filter((path) => {
    const name = topOf(path);
    return needed.has(name) && !installed.includes(name);
  });
}

/**
 * Sources the final stage copies beside the environment, and the import roots PYTHONPATH lists:
 * a virtual project's sources, or what a packaged project's wheel leaves out.
 */
export function finalStageSources(model: ProjectModel): { copied: string[]; roots: string[] } {
  const copied = model.packaged ? [...(model.outsideWheel ?? [])] : [...model.sourcePaths];
  const rootOf = (path: string) =>
    model.sourceRoots.find((r) => r !== '.' && path.startsWith(`${r}/`)) ?? '.';
  // Package data the wheel leaves out (a data-only namespace package read through
  // importlib.resources) is imported by name: its import root goes on PYTHONPATH too.
  const resources = model.packaged
    ? (model.runtimeFiles ?? []).filter((f) => f.besideModule).map((f) => f.path)
    : [];
  if (copied.length === 0 && resources.length === 0) return { copied, roots: [] };
  const roots = model.packaged ? [...new Set([...copied, ...resources].map(rootOf))] : [...model.sourceRoots];
  return { copied, roots: roots.length > 0 ? roots : ['.'] };
}

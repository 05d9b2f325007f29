import { posix } from 'node:path';
import { detectLayout } from './layout.js';
import type { Lock, LockPackage } from './lock.js';
import { runtimePackages } from './native.js';
import type { Pyproject } from './pyproject.js';
import type { PythonModule } from './python-source.js';
import { normalizeName } from './requirements.js';
import type { Workspace } from './workspace.js';

/**
 * A workspace member's code that imports another member's package without depending on it. In
 * the workspace's own environment the import works (`uv sync` at the root installs every member),
 * but the image installs only what the member depends on (`uv sync --package <member>`), so the
 * app stops at start with ModuleNotFoundError. One warning per member imported, naming where.
 */
export function undeclaredMemberImports(
  project: Pyproject,
  workspace: Workspace,
  lock: Lock,
  projectLock: LockPackage | undefined,
  modules: readonly PythonModule[],
): string[] {
  if (!projectLock) return [];
  // What the project's install brings, itself included (native.ts walks the lock for it).
  const installed = new Set([projectLock.name, ...runtimePackages(lock, projectLock).map((p) => p.name)]);
  const own = new Set(importNames(project));
  const byImport = new Map<string, Pyproject>();
  for (const member of workspace.projects) {
    if (member.dir === project.dir || !member.packaged || installed.has(normalizeName(member.name))) continue;
    for (const name of importNames(member))
      if (!own.has(name) && !installed.has(normalizeName(name))) byImport.set(name, member);
  }
  const seen = new Map<Pyproject, { name: string; files: Set<string> }>();
  for (const module of modules) {
    for (const binding of module.imports.values()) {
      const top = binding.module.split('.')[0] ?? '';
      const member = byImport.get(top);
      if (!member) continue;
      const entry = seen.get(member) ?? { name: top, files: new Set<string>() };
      entry.files.add(module.file);
      seen.set(member, entry);
    }
  }
  return [...seen].map(([member, { name, files }]) => {
    const where = [...files].sort();
    return (
      `${where.join(', ')} import${where.length === 1 ? 's' : ''} ${name}, the package of the workspace member ` +
      `${member.name}, but ${project.name} does not depend on it: the image installs only ${project.name}'s ` +
      `dependencies, so the app would stop at start with ModuleNotFoundError; add it: ` +
      `uv add --package ${project.name} ${member.name}`
    );
  });
}

/** The names the project's packages are imported by: its top-level packages and modules. */
function importNames(project: Pyproject): string[] {
  return detectLayout(project).sourcePaths.map((path) => posix.basename(path).replace(/\.py$/, ''));
}

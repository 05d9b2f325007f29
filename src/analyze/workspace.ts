import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ProjectError } from '../errors.js';
import { type Pyproject, readPyproject } from './pyproject.js';
import { getPath, readTomlFile, stringArray } from './toml.js';

/** A uv workspace seen from one of its projects. */
export interface Workspace {
  /** Absolute path of the folder with `[tool.uv.workspace]` (and uv.lock). */
  readonly root: string;
  /** The project's path relative to the root, with forward slashes (`.` for the root itself). */
  readonly member: string;
  /** Every project of the workspace (root included when it has a [project]), for the lock check. */
  readonly projects: readonly Pyproject[];
}

const toPosix = (path: string) => path.split(sep).join('/');

/** `*` and `?` stay within one folder, `**` crosses folders: the glob dialect of uv's members. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out.replace(/\/+$/, '')}$`);
}

function membersOf(root: string, members: readonly string[], exclude: readonly string[]): string[] {
  const include = members.map(globToRegExp);
  const skip = exclude.map(globToRegExp);
  const found: string[] = [];
  // Depth limit: member globs name folders a few levels down, never the whole disk.
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      const rel = toPosix(relative(root, path));
      if (include.some((re) => re.test(rel)) && !skip.some((re) => re.test(rel))) {
        if (existsSync(join(path, 'pyproject.toml'))) found.push(rel);
      }
      if (depth < 4) walk(path, depth + 1);
    }
  };
  walk(root, 0);
  return found.sort();
}

/**
 * Walks up from the project to the first pyproject.toml with `[tool.uv.workspace]` whose members
 * include it, as uv does. The project may be the workspace root itself.
 */
export async function findWorkspace(project: Pyproject): Promise<Workspace | undefined> {
  let dir = project.dir;
  for (;;) {
    const file = join(dir, 'pyproject.toml');
    if (existsSync(file) && statSync(file).isFile()) {
      const data = dir === project.dir ? project.data : await readTomlFile(file);
      const config = getPath(data, 'tool.uv.workspace');
      if (config !== undefined) {
        const members = membersOf(
          dir,
          stringArray(data, 'tool.uv.workspace.members', file),
          stringArray(data, 'tool.uv.workspace.exclude', file),
        );
        const member = toPosix(relative(dir, project.dir)) || '.';
        if (member === '.' || members.includes(member)) {
          const projects = await Promise.all(
            members.filter((m) => m !== member).map((m) => readPyproject(join(dir, m))),
          );
          if (member !== '.') projects.unshift(project);
          const rootProject = getPath(data, 'project') === undefined ? undefined : await readPyproject(dir);
          if (rootProject) projects.unshift(member === '.' ? project : rootProject);
          return { root: dir, member, projects };
        }
        // uv stops at the first workspace root too: a project it does not list stands alone.
        return undefined;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const usesFastapi = (dependencies: readonly string[]) =>
  dependencies.some((d) => /^fastapi(-slim)?(?![\w.-])/i.test(d.trim().replace(/_/g, '-')));

/**
 * At a uv workspace root whose own [project] (if any) does not use FastAPI, the member to work
 * on: the one member that depends on FastAPI. Several of them → ProjectError listing them; none
 * → undefined (the root's own problems are reported as usual). Not a workspace root → undefined.
 */
export async function fastapiMember(dir: string): Promise<string | undefined> {
  const file = join(dir, 'pyproject.toml');
  if (!existsSync(file)) return undefined;
  const data = await readTomlFile(file);
  if (getPath(data, 'tool.uv.workspace') === undefined) return undefined;
  if (getPath(data, 'project.name') !== undefined) {
    if (usesFastapi(stringArray(data, 'project.dependencies', file))) return undefined;
  }
  const members = membersOf(
    dir,
    stringArray(data, 'tool.uv.workspace.members', file),
    stringArray(data, 'tool.uv.workspace.exclude', file),
  );
  const apps: string[] = [];
  for (const member of members) {
    const memberFile = join(dir, member, 'pyproject.toml');
    const memberData = await readTomlFile(memberFile);
    if (usesFastapi(stringArray(memberData, 'project.dependencies', memberFile))) apps.push(member);
  }
  if (apps.length === 1) return join(dir, apps[0] as string);
  if (apps.length === 0) return undefined;
  const shown = (member: string) => `${toPosix(relative(process.cwd(), join(dir, member))) || '.'}/`;
  throw new ProjectError(
    `${file} is a uv workspace root with ${apps.length} FastAPI apps: ${apps.join(', ')}; slipway ships one at a time`,
    {
      fix: `name the member to ship, e.g. slipway ship ${shown(apps[0] as string)} (or ${apps
        .slice(1)
        .map(shown)
        .join(', ')})`,
    },
  );
}

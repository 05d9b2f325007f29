import { existsSync } from 'node:fs';
import { ProjectError } from '../errors.js';
import { normalizeMarker, withExtra } from './markers.js';
import { sameVersionSet } from './pep440.js';
import type { Pyproject } from './pyproject.js';
import {
  formatRequirement,
  normalizeName,
  normalizeSpecifier,
  parseRequirement,
  type Requirement,
  splitExtras,
} from './requirements.js';
import { readTomlFile, type TomlTable, table } from './toml.js';

export interface LockDependency {
  readonly name: string;
  readonly extras: readonly string[];
  /** The PEP 508 marker uv recorded (`sys_platform == 'win32'`); '' when none. */
  readonly marker?: string;
}

/** One `[[package]]` of uv.lock, with what analyze uses. */
export interface LockPackage {
  readonly name: string;
  readonly version: string | undefined;
  /** `{ registry = ... }`, `{ editable = "." }`, `{ virtual = "." }`, `{ git = ... }`... */
  readonly source: TomlTable;
  readonly hasSdist: boolean;
  /** Wheel file names. */
  readonly wheels: readonly string[];
  readonly dependencies: readonly LockDependency[];
  readonly optionalDependencies: Readonly<Record<string, readonly LockDependency[]>>;
  /** `[package.metadata] requires-dist`: what pyproject.toml said when uv locked. */
  readonly requiresDist: readonly TomlTable[];
  readonly requiresDev: Readonly<Record<string, readonly TomlTable[]>>;
}

export interface Lock {
  readonly path: string;
  readonly requiresPython: string | undefined;
  /** `[manifest] members`: the workspace's project names, when uv wrote them. */
  readonly members: readonly string[] | undefined;
  readonly packages: readonly LockPackage[];
}

const tables = (value: unknown): TomlTable[] =>
  Array.isArray(value) ? value.map(table).filter((t) => t !== undefined) : [];

function dependencies(value: unknown): LockDependency[] {
  return tables(value).map((dep) => ({
    name: normalizeName(String(dep.name)),
    extras: Array.isArray(dep.extra) ? splitExtras(dep.extra.map(String)) : [],
    ...(typeof dep.marker === 'string' ? { marker: dep.marker } : {}),
  }));
}

function groups<T>(value: unknown, map: (items: unknown) => T): Record<string, T> {
  const t = table(value) ?? {};
  return Object.fromEntries(Object.entries(t).map(([name, items]) => [normalizeName(name), map(items)]));
}

export async function readLock(path: string, pyprojectFile: string): Promise<Lock> {
  if (!existsSync(path)) {
    throw new ProjectError(
      `no uv.lock for ${pyprojectFile} (looked for ${path}): the image must install locked versions`,
      {
        fix: 'uv lock',
      },
    );
  }
  let data: TomlTable;
  try {
    data = await readTomlFile(path);
  } catch (error) {
    if (!(error instanceof ProjectError)) throw error;
    throw new ProjectError(error.message, { fix: 'uv lock (it rewrites the lock file)', cause: error });
  }
  return parseLock(data, path);
}

/** The parts of a parsed uv.lock that analyze uses. */
export function parseLock(data: TomlTable, path: string): Lock {
  const packages = tables(data.package).map((pkg): LockPackage => {
    const metadata = table(pkg.metadata) ?? {};
    return {
      name: normalizeName(String(pkg.name ?? '')),
      version: typeof pkg.version === 'string' ? pkg.version : undefined,
      source: table(pkg.source) ?? {},
      hasSdist: pkg.sdist !== undefined,
      wheels: tables(pkg.wheels).map(
        (w) =>
          String(w.url ?? w.path ?? w.filename ?? '')
            .split('/')
            .pop() ?? '',
      ),
      dependencies: dependencies(pkg.dependencies),
      optionalDependencies: groups(pkg['optional-dependencies'], dependencies),
      requiresDist: tables(metadata['requires-dist']),
      requiresDev: groups(metadata['requires-dev'], tables),
    };
  });
  const members = table(data.manifest)?.members;
  return {
    path,
    requiresPython: typeof data['requires-python'] === 'string' ? data['requires-python'] : undefined,
    members: Array.isArray(members) ? members.map((m) => normalizeName(String(m))) : undefined,
    packages,
  };
}

/** The lock entry of the project itself: its name, installed from its own folder. */
export function findProjectPackage(lock: Lock, project: Pyproject, member: string): LockPackage | undefined {
  const name = normalizeName(project.name);
  return lock.packages.find((pkg) => {
    const path = pkg.source.editable ?? pkg.source.virtual ?? pkg.source.directory;
    return pkg.name === name && (path === member || path === undefined);
  });
}

/** A `[package.metadata]` entry in the form parseRequirement gives a pyproject.toml string. */
function fromLock(entry: TomlTable): Requirement {
  return {
    name: normalizeName(String(entry.name ?? '')),
    extras: Array.isArray(entry.extras) ? splitExtras(entry.extras.map(String)) : [],
    specifier: typeof entry.specifier === 'string' ? normalizeSpecifier(entry.specifier) : '',
    marker: typeof entry.marker === 'string' ? normalizeMarker(entry.marker) : '',
    url: typeof entry.url === 'string' ? entry.url : undefined,
  };
}

function compareLists(
  what: string,
  wanted: readonly Requirement[],
  locked: readonly Requirement[],
  sources: ReadonlySet<string>,
): string[] {
  // uv records `{ workspace = true }` and path sources instead of the version range.
  const key = (req: Requirement) =>
    formatRequirement(sources.has(req.name) ? { ...req, specifier: '', url: undefined } : req);
  const have = locked.map(key);
  const want = wanted.map(key);
  const out: string[] = [];
  for (const k of want) if (!have.includes(k)) out.push(`${what}: pyproject.toml has ${k}, uv.lock does not`);
  for (const k of have) if (!want.includes(k)) out.push(`${what}: uv.lock has ${k}, pyproject.toml does not`);
  return out;
}

function parseAll(items: readonly string[], file: string): Requirement[] {
  return items.map((text) => {
    const req = parseRequirement(text);
    if (!req)
      throw new ProjectError(`${file}: "${text}" is not a valid requirement`, {
        fix: `correct it in ${file}`,
      });
    return req;
  });
}

/**
 * Why uv.lock no longer matches pyproject.toml (empty when it does): the lock records the
 * requirements it was resolved from, so comparing them tells what `uv lock --check` would.
 */
export function lockDifferences(
  lock: Lock,
  project: Pyproject,
  options: {
    /** The project's folder relative to the lock's, `.` for a project of its own. */
    readonly member: string;
    /** What uv.lock's requires-python should allow (for a workspace: every member's at once). */
    readonly requiresPython?: string | undefined;
    /** `[tool.uv.sources]` of the workspace root, which apply to every member. */
    readonly sources?: ReadonlySet<string>;
  },
): string[] {
  const { member, requiresPython } = options;
  const sources = new Set([...project.sources, ...(options.sources ?? [])]);
  const pkg = findProjectPackage(lock, project, member);
  if (!pkg) return [`uv.lock has no entry for ${normalizeName(project.name)}`];
  const out: string[] = [];
  const runtime = [
    ...parseAll(project.dependencies, project.file),
    ...Object.entries(project.optionalDependencies).flatMap(([extra, items]) =>
      parseAll(items, project.file).map((req) => ({ ...req, marker: withExtra(req.marker, extra) })),
    ),
  ];
  out.push(...compareLists('dependencies', runtime, pkg.requiresDist.map(fromLock), sources));
  const names = new Set([...Object.keys(project.dependencyGroups), ...Object.keys(pkg.requiresDev)]);
  for (const group of [...names].sort()) {
    const wanted = parseAll(project.dependencyGroups[group] ?? [], project.file);
    const locked = (pkg.requiresDev[group] ?? []).map(fromLock);
    out.push(...compareLists(`dependency group ${group}`, wanted, locked, sources));
  }
  if (requiresPython !== undefined && lock.requiresPython !== undefined) {
    if (!sameVersionSet(requiresPython, lock.requiresPython)) {
      out.push(
        `requires-python: pyproject.toml allows "${requiresPython}", uv.lock "${lock.requiresPython}"`,
      );
    }
  }
  return out;
}

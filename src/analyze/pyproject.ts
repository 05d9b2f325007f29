import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectError } from '../errors.js';
import { normalizeName } from './requirements.js';
import { getPath, optionalString, readTomlFile, stringArray, type TomlTable, table } from './toml.js';

/** What pyproject.toml says about the project, read with a real TOML parser. */
export interface Pyproject {
  /** Absolute path of pyproject.toml. */
  readonly file: string;
  readonly dir: string;
  readonly data: TomlTable;
  readonly name: string;
  readonly version: string;
  readonly description: string | undefined;
  readonly requiresPython: string | undefined;
  /** `[project] dependencies`, as written (PEP 508 strings). */
  readonly dependencies: readonly string[];
  readonly optionalDependencies: Readonly<Record<string, readonly string[]>>;
  /** `[dependency-groups]` with `include-group` expanded and `[tool.uv] dev-dependencies` merged into `dev`. */
  readonly dependencyGroups: Readonly<Record<string, readonly string[]>>;
  /** uv builds and installs the project itself (a build-system, and `[tool.uv] package` is not false). */
  readonly packaged: boolean;
  /** `[project] readme` as a file path relative to the project (a string, or a table's `file`). */
  readonly readme: string | undefined;
  /** Names with an entry in `[tool.uv.sources]` (uv records their source instead of the specifier). */
  readonly sources: ReadonlySet<string>;
}

export async function readPyproject(dir: string): Promise<Pyproject> {
  const file = join(dir, 'pyproject.toml');
  if (!existsSync(file)) {
    throw new ProjectError(`no pyproject.toml in ${dir}: slipway needs a uv project`, {
      fix: `run slipway on the folder that holds pyproject.toml, or create one with \`uv init\``,
    });
  }
  return parsePyproject(file, dir, await readTomlFile(file));
}

export function parsePyproject(file: string, dir: string, data: TomlTable): Pyproject {
  const name = optionalString(data, 'project.name', file);
  if (name === undefined) {
    throw new ProjectError(`${file}: [project] name is missing`, {
      fix: `add name = "..." under [project] in ${file}`,
    });
  }
  const optional = table(getPath(data, 'project.optional-dependencies')) ?? {};
  const uvPackage = getPath(data, 'tool.uv.package');
  return {
    file,
    dir,
    data,
    name,
    // A dynamic version is only known after a build; 0.0.0 marks it as unknown in labels.
    version: optionalString(data, 'project.version', file) ?? '0.0.0',
    description: optionalString(data, 'project.description', file),
    requiresPython: optionalString(data, 'project.requires-python', file),
    dependencies: stringArray(data, 'project.dependencies', file),
    optionalDependencies: Object.fromEntries(
      Object.keys(optional).map((extra) => [
        normalizeName(extra),
        stringArray(optional, extra, `${file} [project.optional-dependencies]`),
      ]),
    ),
    dependencyGroups: dependencyGroups(data, file),
    packaged: getPath(data, 'build-system') !== undefined && uvPackage !== false,
    readme: readmeFile(data, file),
    sources: new Set(Object.keys(table(getPath(data, 'tool.uv.sources')) ?? {}).map(normalizeName)),
  };
}

/** The build backend reads the readme when it builds the project, so the image build copies it. */
function readmeFile(data: TomlTable, file: string): string | undefined {
  const readme = getPath(data, 'project.readme');
  if (readme === undefined || typeof readme === 'string') return readme;
  const path = table(readme)?.file;
  if (typeof path === 'string') return path;
  // Inline text (`readme = {text = "...", content-type = "..."}`) needs no file.
  if (typeof table(readme)?.text === 'string') return undefined;
  throw new ProjectError(`${file}: project.readme: expected a file path or a table with file or text`, {
    fix: 'write readme = "README.md"',
  });
}

function dependencyGroups(data: TomlTable, file: string): Record<string, string[]> {
  const raw = table(getPath(data, 'dependency-groups')) ?? {};
  const byName = new Map(Object.entries(raw).map(([name, value]) => [normalizeName(name), value]));
  const expand = (group: string, seen: readonly string[]): string[] => {
    if (seen.includes(group)) {
      throw new ProjectError(`${file}: [dependency-groups] ${group} includes itself`, {
        fix: `remove the include-group cycle ${[...seen, group].join(' → ')}`,
      });
    }
    const items = byName.get(group);
    if (!Array.isArray(items)) {
      throw new ProjectError(`${file}: dependency-groups.${group}: expected an array`, {
        fix: `define [dependency-groups] ${group} = [...] in ${file}`,
      });
    }
    return items.flatMap((item): string[] => {
      if (typeof item === 'string') return [item];
      const include = table(item)?.['include-group'];
      if (typeof include === 'string') return expand(normalizeName(include), [...seen, group]);
      throw new ProjectError(
        `${file}: dependency-groups.${group}: expected strings or {include-group = "..."}`,
        {
          fix: `correct [dependency-groups] ${group} in ${file}`,
        },
      );
    });
  };
  const groups: Record<string, string[]> = {};
  for (const name of byName.keys()) groups[name] = expand(name, []);
  // uv treats the legacy `[tool.uv] dev-dependencies` as part of the `dev` group.
  const legacyDev = stringArray(data, 'tool.uv.dev-dependencies', file);
  if (legacyDev.length > 0) groups.dev = [...(groups.dev ?? []), ...legacyDev];
  return groups;
}

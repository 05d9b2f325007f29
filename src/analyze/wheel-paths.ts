import { posix } from 'node:path';
import { getPath, type TomlTable, table } from './toml.js';

/**
 * What hatchling and pdm-backend put at the top of the wheel: both select paths relative to the
 * project root and then rewrite their prefixes (hatch `sources`, pdm `package-dir`), so the
 * import name is the first part of the rewritten path, not of the folder on disk.
 */

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const clean = (path: string) => path.replace(/^\.?\/+|\/+$/g, '');
const GLOB = /[*?[\]!]/;

/** Prefix rewrites, longest prefix first: `["src"]` drops `src/`, `{"src/foo" = "bar"}` renames. */
type Rewrites = readonly (readonly [from: string, to: string])[];

function rewrites(value: unknown): Rewrites {
  const pairs: [string, string][] = Array.isArray(value)
    ? strings(value).map((from) => [clean(from), ''])
    : Object.entries(table(value) ?? {})
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([from, to]) => [clean(from), clean(to)]);
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

function rewrite(path: string, rules: Rewrites): string {
  for (const [from, to] of rules) {
    if (from === '') return to ? posix.join(to, path) : path;
    if (path === from || path.startsWith(`${from}/`)) return posix.join(to || '.', path.slice(from.length));
  }
  return path;
}

/** The first part of a path in the wheel, as an import name (`app/main.py` → `app`, `cli.py` → `cli`). */
function topName(path: string): string | undefined {
  const first = clean(path).split('/')[0]?.replace(/\.py$/, '');
  return first && /^[A-Za-z_]\w*$/.test(first) ? first : undefined;
}

const unique = (names: readonly (string | undefined)[]) => [
  ...new Set(names.filter((n): n is string => n !== undefined)),
];

/**
 * hatchling's wheel target (its own keys over `[tool.hatch.build]`): `packages` installs each
 * folder under its own name (`packages = ["src"]` makes `src` the package); `only-include` and
 * plain `include` paths keep their path unless `sources` rewrites it. Undefined: discovery.
 */
export function hatchTopLevels(data: TomlTable): string[] | undefined {
  const target = table(getPath(data, 'tool.hatch.build.targets.wheel')) ?? {};
  const global = table(getPath(data, 'tool.hatch.build')) ?? {};
  const key = (name: string) => target[name] ?? global[name];
  const rules = rewrites(key('sources'));
  const packages = strings(key('packages')).map(clean);
  if (packages.length > 0) return unique(packages.map((p) => topName(posix.basename(p))));
  const only = strings(key('only-include')).map(clean);
  // `include` patterns select paths too; only plain paths (no glob) say what the wheel holds.
  const include = strings(key('include'))
    .filter((p) => !GLOB.test(p))
    .map(clean);
  const chosen = only.length > 0 ? only : include;
  if (chosen.length === 0) return undefined;
  return unique(chosen.map((p) => topName(rewrite(p, rules))));
}

/**
 * pdm-backend: `[tool.pdm.build] includes` (paths relative to the project root) under
 * `package-dir` (default `src` when the project has one), which is stripped from them.
 * Undefined without `includes`: pdm finds the packages under package-dir, as analyze does.
 */
export function pdmTopLevels(data: TomlTable, hasSrc: boolean): string[] | undefined {
  const build = table(getPath(data, 'tool.pdm.build')) ?? {};
  const includes = strings(build.includes)
    .filter((p) => !GLOB.test(p))
    .map(clean);
  if (includes.length === 0) return undefined;
  const configured = typeof build['package-dir'] === 'string' ? clean(build['package-dir']) : undefined;
  const packageDir = configured ?? (hasSrc ? 'src' : '');
  const rules: Rewrites = packageDir ? [[packageDir, '']] : [];
  return unique(includes.map((p) => topName(rewrite(p, rules))));
}

import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { SyntaxNode } from '@lezer/common';
import type { PythonModule } from './python-source.js';
import { staticString } from './static-value.js';
import { asCall, text } from './syntax.js';

/**
 * `importlib.resources`: files a package carries, read by package name instead of by path —
 * `files("app") / "data.json"`, `files(__package__).joinpath("prompts")`, the older
 * `read_text("app", "schema.sql")` and `as_file(...)`. They resolve to paths under the package's
 * folder, so they count as package data (beside a module): the wheel carries them already.
 */

type Modules = ReadonlyMap<string, PythonModule>;

const RESOURCES = /^(importlib\.resources|importlib_resources)\.(\w+)$/;
/** The older API: `(package, resource)` functions that read or open the resource at once. */
const LEGACY = new Set(['read_text', 'read_binary', 'open_text', 'open_binary', 'path', 'is_resource']);

/** `files` / `resources.files` / `importlib.resources.files` → `importlib.resources.files`. */
export function resourcesFunction(callee: string, module: PythonModule): string | undefined {
  const [head = '', ...rest] = callee.split('.');
  const binding = module.imports.get(head);
  const full = binding
    ? [binding.module, ...(binding.name ? [binding.name] : []), ...rest].join('.')
    : callee;
  return RESOURCES.exec(full)?.[2];
}

/** The folder (relative to the project root) of a package named in dotted form. */
function packageFolder(
  dotted: string,
  modules: Modules,
  root: string,
  roots: readonly string[],
): string | undefined {
  const known = modules.get(dotted);
  if (known) return known.file.endsWith('__init__.py') ? posix.dirname(known.file) : undefined;
  // A data-only folder (a namespace package, no __init__.py) is no module analyze parsed.
  const rel = dotted.split('.').join('/');
  for (const base of roots) {
    const path = base === '.' ? rel : posix.join(base, rel);
    if (existsSync(join(root, path))) return path;
  }
  return undefined;
}

/** The package a `files(...)` argument names: a string, `__package__`, `__name__` of a package. */
function anchorFolder(
  node: SyntaxNode,
  module: PythonModule,
  modules: Modules,
  root: string,
  roots: readonly string[],
): string | undefined {
  const src = module.source;
  const word = text(node, src);
  if (word === '__package__' || (word === '__name__' && module.file.endsWith('__init__.py')))
    return posix.dirname(module.file);
  const name = staticString(node, module, modules);
  return name === undefined ? undefined : packageFolder(name, modules, root, roots);
}

export interface ResourceContext {
  readonly module: PythonModule;
  readonly modules: Modules;
  readonly root: string;
  /** Import roots (`.`, `src`) where a package folder may sit. */
  readonly roots: readonly string[];
}

/**
 * The path `node` names through importlib.resources, relative to the project root: the package
 * folder of `files(...)`, or `package/resource` of a legacy call. Undefined for anything else.
 */
export function resourceCallPath(node: SyntaxNode, context: ResourceContext): string | undefined {
  const { module, modules, root, roots } = context;
  const call = asCall(node, module.source);
  const fn = call ? resourcesFunction(call.callee, module) : undefined;
  const first = call?.args.positional[0] ?? call?.args.keywords.get('anchor');
  if (!call || !fn || !first) return undefined;
  if (fn === 'files') return anchorFolder(first, module, modules, root, roots);
  if (!LEGACY.has(fn)) return undefined;
  const folder = anchorFolder(first, module, modules, root, roots);
  const second = call.args.positional[1] ?? call.args.keywords.get('resource');
  const name = second ? staticString(second, module, modules) : undefined;
  return folder === undefined || name === undefined ? undefined : posix.join(folder, name);
}

/** Whether a call reads (or hands out) a resource: the legacy readers and `as_file(...)`. */
export function readsResource(callee: string, module: PythonModule): 'legacy' | 'as_file' | undefined {
  const fn = resourcesFunction(callee, module);
  if (fn === 'as_file') return 'as_file';
  return fn && LEGACY.has(fn) ? 'legacy' : undefined;
}

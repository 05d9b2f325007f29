import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { SyntaxNode } from '@lezer/common';
import type { RuntimeFile } from './model.js';
import { readsResource, resourceCallPath } from './package-resources.js';
import type { PythonModule } from './python-source.js';
import { staticString } from './static-value.js';
import { asCall, callArgs, children, descendants, text } from './syntax.js';

type Modules = ReadonlyMap<string, PythonModule>;
/** What a path expression was read against: `file` is set when it is relative to a module. */
interface Seen {
  file: boolean;
  readonly root: string;
  readonly roots: readonly string[];
}

/** `<any expression>.method(...)`: the receiver and the method name (asCall needs a dotted callee). */
function methodCall(node: SyntaxNode, source: string) {
  if (node.name !== 'CallExpression') return undefined;
  const member = node.firstChild;
  const parts = member?.name === 'MemberExpression' ? children(member) : [];
  const last = parts.at(-1);
  if (parts.length !== 3 || last?.name !== 'PropertyName' || !parts[0]) return undefined;
  return { receiver: parts[0], method: text(last, source) };
}

/**
 * A path expression relative to something the image knows: the working directory (`"static"`,
 * `Path("webapp/dist")`) or the module's own folder (`Path(__file__).parent / "prompts"`,
 * `os.path.join(os.path.dirname(__file__), "templates")`). Returns a path relative to the project root.
 */
function pathOf(
  node: SyntaxNode,
  module: PythonModule,
  modules: Modules,
  seen: Seen,
  depth = 0,
): string | undefined {
  if (depth > 8) return undefined;
  const src = module.source;
  const literal = staticString(node, module, modules);
  if (literal !== undefined) return posix.normalize(literal.replace(/^\.\//, ''));
  // importlib.resources names a package's folder: what it reads is package data.
  const resource = resourceCallPath(node, { module, modules, root: seen.root, roots: seen.roots });
  if (resource !== undefined) {
    seen.file = true;
    return resource;
  }
  const call = asCall(node, src);
  if (call && /(^|\.)(Path|PurePath)$/.test(call.callee) && call.args.positional.length === 1) {
    const arg = call.args.positional[0] as SyntaxNode;
    if (text(arg, src) === '__file__') {
      seen.file = true;
      return module.file;
    }
    return pathOf(arg, module, modules, seen, depth + 1);
  }
  if (call && /(^|\.)path\.dirname$/.test(call.callee) && call.args.positional[0]) {
    const inner = call.args.positional[0];
    if (text(inner, src) === '__file__') seen.file = true;
    const base =
      text(inner, src) === '__file__' ? module.file : pathOf(inner, module, modules, seen, depth + 1);
    return base === undefined ? undefined : posix.dirname(base);
  }
  if (call && /(^|\.)path\.(abspath|realpath)$/.test(call.callee) && call.args.positional[0]) {
    const inner = call.args.positional[0];
    if (text(inner, src) === '__file__') seen.file = true;
    return text(inner, src) === '__file__' ? module.file : pathOf(inner, module, modules, seen, depth + 1);
  }
  if (call && /(^|\.)path\.join$/.test(call.callee)) {
    const parts = call.args.positional.map((p) => pathOf(p, module, modules, seen, depth + 1));
    return parts.every((p) => p !== undefined) ? posix.join(...parts) : undefined;
  }
  if (node.name === 'ParenthesizedExpression' && node.firstChild?.nextSibling) {
    return pathOf(node.firstChild.nextSibling, module, modules, seen, depth + 1);
  }
  const method = methodCall(node, src);
  if (method && ['resolve', 'absolute'].includes(method.method)) {
    return pathOf(method.receiver, module, modules, seen, depth + 1);
  }
  if (method?.method === 'joinpath') {
    const base = pathOf(method.receiver, module, modules, seen, depth + 1);
    const args = callArgs(node.getChild('ArgList'), src).positional;
    const parts = args.map((arg) => pathOf(arg, module, modules, seen, depth + 1));
    return base === undefined || parts.some((p) => p === undefined)
      ? undefined
      : posix.join(base, ...(parts as string[]));
  }
  const parts = children(node);
  if (node.name === 'MemberExpression' && parts[0] && text(parts.at(-1) as SyntaxNode, src) === 'parent') {
    const base = pathOf(parts[0], module, modules, seen, depth + 1);
    return base === undefined ? undefined : posix.dirname(base);
  }
  if (node.name === 'BinaryExpression' && parts.length === 3 && text(parts[1] as SyntaxNode, src) === '/') {
    const [left, right] = [
      pathOf(parts[0] as SyntaxNode, module, modules, seen, depth + 1),
      pathOf(parts[2] as SyntaxNode, module, modules, seen, depth + 1),
    ];
    return left === undefined || right === undefined ? undefined : posix.join(left, right);
  }
  if (node.name === 'VariableName') {
    const name = text(node, src);
    for (const stmt of children(module.tree.topNode)) {
      const assign = stmt.name === 'AssignStatement' ? children(stmt) : [];
      if (assign[0]?.name === 'VariableName' && text(assign[0], src) === name && assign.at(-1)) {
        return pathOf(assign.at(-1) as SyntaxNode, module, modules, seen, depth + 1);
      }
    }
  }
  return undefined;
}

const READERS: Record<string, string> = {
  StaticFiles: 'directory',
  Jinja2Templates: 'directory',
};

/** `script_location` of an alembic.ini (`%(here)s/migrations` or `alembic`). */
function alembicScripts(root: string): string | undefined {
  const file = join(root, 'alembic.ini');
  if (!existsSync(file)) return undefined;
  const match = /^\s*script_location\s*=\s*(.+)$/m.exec(readFileSync(file, 'utf8'));
  return match?.[1]?.trim().replace(/^%\(here\)s\/?/, '') || undefined;
}

/**
 * Files and folders the app opens at run time, relative to the project root, that exist there:
 * StaticFiles/Jinja2Templates directories, `open(...)`/`read_text` of paths next to a module,
 * alembic.ini with its script_location. Sources already in the image are left out by the caller.
 */
export function findRuntimeFiles(
  root: string,
  modules: readonly PythonModule[],
  dependencies: readonly string[],
  sourceRoots: readonly string[] = ['.'],
): RuntimeFile[] {
  const byName: Modules = new Map(modules.map((m) => [m.name, m]));
  const found = new Map<string, RuntimeFile>();
  const add = (path: string | undefined, why: string, besideModule = false) => {
    if (path && !path.startsWith('..') && path !== '.' && existsSync(join(root, path)) && !found.has(path))
      found.set(path, { path, why, ...(besideModule ? { besideModule } : {}) });
  };
  const resolve = (node: SyntaxNode, module: PythonModule, why: string) => {
    const seen: Seen = { file: false, root, roots: sourceRoots };
    add(pathOf(node, module, byName, seen), why, seen.file);
  };
  for (const module of modules) {
    for (const node of descendants(module.tree.topNode)) {
      const call = asCall(node, module.source);
      const binding = call ? module.imports.get(call.callee) : undefined;
      const cls = binding?.name ?? call?.callee.split('.').pop() ?? '';
      const keyword = READERS[cls];
      const where = `${module.file}:${module.line(node.from)}`;
      if (call && keyword) {
        const arg = call.args.keywords.get(keyword) ?? call.args.positional[0];
        if (arg) resolve(arg, module, `${cls}(${keyword}=...) in ${where}`);
        continue;
      }
      if (call?.callee === 'open' && call.args.positional[0]) {
        resolve(call.args.positional[0], module, `read in ${where}`);
        continue;
      }
      const resource = call ? readsResource(call.callee, module) : undefined;
      if (call && resource) {
        const target = resource === 'legacy' ? node : call.args.positional[0];
        if (target) resolve(target, module, `importlib.resources in ${where}`);
        continue;
      }
      const method = methodCall(node, module.source);
      if (method && ['read_text', 'read_bytes', 'open', 'iterdir'].includes(method.method)) {
        resolve(method.receiver, module, `read in ${where}`);
      }
    }
  }
  if (dependencies.includes('alembic')) {
    const scripts = alembicScripts(root);
    if (existsSync(join(root, 'alembic.ini'))) add('alembic.ini', 'alembic reads it to migrate the database');
    add(scripts, 'script_location of alembic.ini: the migrations');
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The runtime files the final stage must copy. A virtual project's sources are in the image at
 * their own paths already; a packaged project's wheel carries what sits beside its modules
 * (package data) but not what the app opens relative to its working directory.
 */
export function runtimeFilesToCopy(
  root: string,
  modules: readonly PythonModule[],
  dependencies: readonly string[],
  packaged: boolean,
  copiedSources: readonly string[],
  installedSources: readonly string[],
  sourceRoots: readonly string[] = ['.'],
): RuntimeFile[] {
  const within = (path: string, dirs: readonly string[]) =>
    dirs.some((dir) => path === dir || path.startsWith(`${dir}/`));
  return findRuntimeFiles(root, modules, dependencies, sourceRoots).filter((f) => {
    if (within(f.path, copiedSources)) return false;
    return !(packaged && f.besideModule && within(f.path, installedSources));
  });
}

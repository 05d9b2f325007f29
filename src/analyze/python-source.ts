import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { children, text } from './syntax.js';

/** A parsed Python module of the project. */
export interface PythonModule {
  /** Dotted import name, e.g. `shop.routers.health`. */
  readonly name: string;
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  readonly source: string;
  readonly tree: Tree;
  /** Local name → what it was imported as (`{module: 'shop.routers', name: 'health'}`). */
  readonly imports: ReadonlyMap<string, ImportBinding>;
  /** 1-based line of a source offset. */
  line(offset: number): number;
}

export interface ImportBinding {
  readonly module: string;
  /** Set for `from module import name`; unset for `import module`. */
  readonly name: string | undefined;
}

// Folders that never hold the app's code: tools, caches, environments and tests.
const SKIPPED_DIRS = new Set([
  '__pycache__',
  'site-packages',
  'node_modules',
  'tests',
  'test',
  'venv',
  'env',
]);
const isTestFile = (name: string) => /^(test_.*|.*_test|conftest)\.py$/.test(name);
const IDENTIFIER = /^[A-Za-z_]\w*$/;

async function pythonFiles(root: string, rel: string): Promise<string[]> {
  if (rel.endsWith('.py')) return [rel];
  const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = posix.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name) || !IDENTIFIER.test(entry.name))
        continue;
      out.push(...(await pythonFiles(root, path)));
    } else if (entry.isFile() && entry.name.endsWith('.py') && !isTestFile(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** `src/shop/routers/__init__.py` under source root `src` → `shop.routers`. */
export function moduleName(file: string, sourceRoot: string): string {
  const rel = sourceRoot === '.' ? file : posix.relative(sourceRoot, file);
  return rel
    .replace(/\.py$/, '')
    .replace(/(^|\/)__init__$/, '')
    .split('/')
    .join('.');
}

/**
 * Reads and parses every module under the project's source paths (each a package folder or a
 * module file, relative to root), with the import name it has from its source root.
 */
export async function readPythonModules(
  root: string,
  sourceRoots: readonly string[],
  sourcePaths: readonly string[],
): Promise<PythonModule[]> {
  const modules: PythonModule[] = [];
  for (const path of sourcePaths) {
    const sourceRoot =
      sourceRoots.find((r) => r !== '.' && path.startsWith(`${r}/`)) ??
      (sourceRoots.includes('.') ? '.' : '');
    for (const file of await pythonFiles(root, path)) {
      const source = await readFile(join(root, file), 'utf8');
      modules.push(parseModule(moduleName(file, sourceRoot), file, source));
    }
  }
  return modules;
}

export function parseModule(name: string, file: string, source: string): PythonModule {
  const tree = parser.parse(source);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const line = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const isPackage = file.endsWith('__init__.py');
  return { name, file, source, tree, imports: readImports(tree.topNode, source, name, isPackage), line };
}

/** Import bindings anywhere in the module (factories often import inside the function). */
function readImports(top: SyntaxNode, source: string, module: string, isPackage: boolean) {
  const bindings = new Map<string, ImportBinding>();
  const cursor = top.cursor();
  do {
    if (cursor.name !== 'ImportStatement') continue;
    const tokens = children(cursor.node).map((n) => (n.name === 'VariableName' ? text(n, source) : n.name));
    if (tokens[0] === 'from') {
      const split = tokens.indexOf('import');
      let from = tokens.slice(1, split).join('');
      const level = /^\.*/.exec(from)?.[0].length ?? 0;
      if (level > 0) {
        // Relative to the importing package: `.` is the package itself, `..` its parent.
        const base = module.split('.').slice(0, isPackage ? undefined : -1);
        const up = base.slice(0, base.length - (level - 1));
        from = [...up, from.slice(level)].filter((p) => p !== '').join('.');
      }
      const names = tokens.slice(split + 1).filter((t) => t !== '(' && t !== ')');
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        if (name === undefined || name === ',' || name === '*') continue;
        const alias = names[i + 1] === 'as' ? names[i + 2] : undefined;
        bindings.set(alias ?? name, { module: from, name });
        if (alias) i += 2;
      }
    } else {
      // `import a.b` binds `a`; `import a.b as c` binds `c` to the module a.b.
      for (const part of tokens.slice(1).join(' ').split(',')) {
        const match = /^\s*([\w .]+?)(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (!match?.[1]) continue;
        const dotted = match[1].replace(/\s*\.\s*/g, '.');
        if (match[2]) bindings.set(match[2], { module: dotted, name: undefined });
        else
          bindings.set(dotted.split('.')[0] ?? dotted, {
            module: dotted.split('.')[0] ?? dotted,
            name: undefined,
          });
      }
    }
  } while (cursor.next());
  return bindings;
}

/** What a dotted expression in a module refers to: a (module, attribute) pair, or a module. */
export type Reference = { readonly module: string; readonly name: string | undefined };

/**
 * Resolves `health.router` in `shop.main` to `{module: 'shop.routers.health', name: 'router'}`
 * through the module's imports; names defined in the module itself resolve to the module.
 */
export function resolveReference(
  modules: ReadonlyMap<string, PythonModule>,
  module: PythonModule,
  dotted: string,
): Reference {
  const [head = '', ...rest] = dotted.split('.');
  const binding = module.imports.get(head);
  let parts: string[];
  if (!binding) parts = [module.name, head, ...rest];
  else parts = [binding.module, ...(binding.name ? [binding.name] : []), ...rest];
  const full = parts.join('.').split('.');
  // `from src.api import x` where the layout reads src/ as the import root (the code runs from
  // the project folder, or hatch installs `src` itself as the package): the same module.
  const spellings = full[0] === 'src' && full.length > 1 ? [full, full.slice(1)] : [full];
  for (const spelling of spellings) {
    // The longest prefix that is a module of the project is the module; the rest is an attribute.
    for (let i = spelling.length; i > 0; i--) {
      const candidate = spelling.slice(0, i).join('.');
      if (modules.has(candidate)) {
        const name = spelling.slice(i).join('.');
        return { module: candidate, name: name === '' ? undefined : name };
      }
    }
  }
  return { module: full.slice(0, -1).join('.'), name: full.at(-1) };
}

import type { SyntaxNode } from '@lezer/common';
import type { RouteInfo } from './model.js';
import { type PythonModule, resolveReference } from './python-source.js';
import { bindParameters, type ParameterEdge, parameterOf } from './route-params.js';
import { evaluate, staticString } from './static-value.js';
import { asCall, callArgs, children, descendants, dottedName, stringValue, text } from './syntax.js';

/** A FastAPI app or an APIRouter bound to a name somewhere in a module. */
export interface AppObject {
  /** `module:name`. */
  readonly key: string;
  readonly module: string;
  readonly name: string;
  readonly kind: 'app' | 'router';
  /** undefined when the prefix is an expression the sources do not fix (see prefixText). */
  readonly prefix: string | undefined;
  readonly prefixText?: string;
  readonly file: string;
  readonly line: number;
  /** Bound at module level (not inside a function or class). */
  readonly topLevel: boolean;
  /** An app's `openapi_url`: null for `None` (no document), undefined when unset or unreadable. */
  readonly openapiUrl?: string | null;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly prefix: string | undefined;
  /** The prefix expression as written, with where, when it could not be read. */
  readonly prefixText?: string;
}

/** Apps, routers, their routes and the include_router/mount edges between them, across modules. */
export interface RouteGraph {
  readonly objects: ReadonlyMap<string, AppObject>;
  readonly routes: ReadonlyMap<string, readonly RouteInfo[]>;
  readonly edges: readonly Edge[];
  readonly modules: ReadonlyMap<string, PythonModule>;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];

/** Whether a callee (`FastAPI`, `fastapi.FastAPI`, an alias) names `fastapi.<cls>`. */
export function isFastapiClass(module: PythonModule, callee: string, cls: 'FastAPI' | 'APIRouter'): boolean {
  const [head = '', ...rest] = callee.split('.');
  const binding = module.imports.get(head);
  const full = binding ? [binding.module, binding.name, ...rest].filter(Boolean).join('.') : callee;
  return full === cls || (full.endsWith(`.${cls}`) && full.startsWith('fastapi'));
}

function key(module: string, name: string): string {
  return `${module}:${name}`;
}

/** Follows re-exports (`from .health import router` in a package) to the module that binds the name. */
type Lookup = Omit<RouteGraph, 'routes' | 'edges'> & { readonly aliases: ReadonlyMap<string, string> };

function findObject(graph: Lookup, module: PythonModule, dotted: string) {
  let ref = resolveReference(graph.modules, module, dotted);
  for (let hops = 0; hops < 10 && ref.name !== undefined; hops++) {
    const name = key(ref.module, ref.name);
    const found = graph.objects.get(graph.aliases.get(name) ?? name);
    if (found) return found;
    const next = graph.modules.get(ref.module);
    if (!next?.imports.has(ref.name.split('.')[0] ?? '')) return undefined;
    ref = resolveReference(graph.modules, next, ref.name);
  }
  return undefined;
}

export function buildRouteGraph(modules: readonly PythonModule[]): RouteGraph {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const objects = new Map<string, AppObject>();
  // First pass: every `name = FastAPI(...)` / `name = APIRouter(prefix=...)`, at any depth.
  for (const module of modules) {
    for (const node of descendants(module.tree.topNode)) {
      if (node.name !== 'AssignStatement') continue;
      const parts = children(node);
      const call = asCall(parts.at(-1), module.source);
      const target = parts[0];
      if (!call || target?.name !== 'VariableName') continue;
      const kind = isFastapiClass(module, call.callee, 'FastAPI')
        ? 'app'
        : isFastapiClass(module, call.callee, 'APIRouter')
          ? 'router'
          : undefined;
      if (!kind) continue;
      const name = text(target, module.source);
      const prefixNode = kind === 'router' ? call.args.keywords.get('prefix') : undefined;
      const prefix = prefixNode ? staticString(prefixNode, module, byName) : '';
      const openapi = kind === 'app' ? call.args.keywords.get('openapi_url') : undefined;
      const openapiUrl =
        openapi && text(openapi, module.source) === 'None'
          ? null
          : openapi && staticString(openapi, module, byName);
      objects.set(key(module.name, name), {
        ...(openapiUrl !== undefined ? { openapiUrl } : {}),
        key: key(module.name, name),
        module: module.name,
        name,
        kind,
        prefix,
        ...(prefix === undefined && prefixNode ? { prefixText: written(prefixNode, module) } : {}),
        file: module.file,
        line: module.line(node.from),
        topLevel: node.parent?.name === 'Script',
      });
    }
  }
  const aliases = new Map<string, string>();
  const base = { objects, modules: byName, aliases };
  // `router = build_router()` at module level: the name holds what the project's function returns.
  for (const module of modules) {
    for (const node of children(module.tree.topNode)) {
      const parts = node.name === 'AssignStatement' ? children(node) : [];
      const made = parts[0]?.name === 'VariableName' ? madeBy(base, module, parts.at(-1)) : undefined;
      if (made && parts[0]) aliases.set(key(module.name, text(parts[0], module.source)), made.key);
    }
  }
  const routes = new Map<string, RouteInfo[]>();
  const edges: Edge[] = [];
  const pending: ParameterEdge[] = [];
  const addRoute = (owner: AppObject, method: string, path: string, module: PythonModule, at: number) => {
    const list = routes.get(owner.key) ?? [];
    list.push({ method, path, file: module.file, line: module.line(at) });
    routes.set(owner.key, list);
  };
  // Second pass: decorators, add_api_route, include_router and mount on those objects.
  for (const module of modules) {
    for (const node of descendants(module.tree.topNode)) {
      if (node.name === 'Decorator') {
        const name = children(node)
          .filter((c) => c.name === 'VariableName' || c.name === '.')
          .map((c) => text(c, module.source))
          .join('');
        const dot = name.lastIndexOf('.');
        const verb = name.slice(dot + 1);
        const owner = dot > 0 ? findObject(base, module, name.slice(0, dot)) : undefined;
        if (!owner) continue;
        const args = callArgs(node.getChild('ArgList'), module.source);
        const path = stringValue(args.positional[0] ?? args.keywords.get('path'), module.source);
        if (path === undefined) continue;
        if (HTTP_METHODS.includes(verb)) addRoute(owner, verb.toUpperCase(), path, module, node.from);
        else if (verb === 'api_route') {
          for (const method of methodsOf(args.keywords.get('methods'), module) ?? ['GET']) {
            addRoute(owner, method, path, module, node.from);
          }
        }
        continue;
      }
      const call = asCall(node, module.source);
      if (!call) continue;
      const dot = call.callee.lastIndexOf('.');
      const verb = call.callee.slice(dot + 1);
      if (dot <= 0 || !['add_api_route', 'include_router', 'mount'].includes(verb)) continue;
      const owner = findObject(base, module, call.callee.slice(0, dot));
      if (!owner) continue;
      const { positional, keywords } = call.args;
      if (verb === 'add_api_route') {
        const path = stringValue(positional[0] ?? keywords.get('path'), module.source);
        if (path === undefined) continue;
        for (const method of methodsOf(keywords.get('methods'), module) ?? ['GET']) {
          addRoute(owner, method, path, module, node.from);
        }
        continue;
      }
      const targetNode =
        verb === 'mount' ? (positional[1] ?? keywords.get('app')) : (positional[0] ?? keywords.get('router'));
      const target = dottedName(targetNode, module.source);
      const child =
        target === undefined ? madeBy(base, module, targetNode) : findObject(base, module, target);
      const prefixNode = verb === 'mount' ? (positional[0] ?? keywords.get('path')) : keywords.get('prefix');
      const prefix = prefixNode ? staticString(prefixNode, module, byName) : '';
      const edge = {
        from: owner.key,
        prefix,
        ...(prefix === undefined && prefixNode ? { prefixText: written(prefixNode, module) } : {}),
      };
      const param = !child && target ? parameterOf(node, target, module) : undefined;
      if (param) pending.push({ ...edge, ...param, module });
      if (child) edges.push({ ...edge, to: child.key });
    }
  }
  edges.push(...bindParameters(modules, byName, pending, (m, dotted) => findObject(base, m, dotted)?.key));
  return { objects, routes, edges, modules: byName };
}

/** `settings.API_V1_STR (app/main.py:12)`: an expression as written, with where. */
function written(node: SyntaxNode, module: PythonModule): string {
  return `${text(node, module.source)} (${module.file}:${module.line(node.from)})`;
}

/**
 * The app or router a call of the project's own function returns: `build_router()` whose body
 * ends in `return router` for a `router = APIRouter()` it made.
 */
function madeBy(graph: Lookup, module: PythonModule, node: SyntaxNode | null | undefined) {
  if (node?.name !== 'CallExpression' || !node.firstChild) return undefined;
  const fn = evaluate(node.firstChild, module, graph.modules, 0);
  if (fn?.kind !== 'function') return undefined;
  for (const inner of descendants(fn.node.getChild('Body') ?? fn.node)) {
    if (inner.name !== 'ReturnStatement' || inner.lastChild?.name !== 'VariableName') continue;
    const found = graph.objects.get(key(fn.module.name, text(inner.lastChild, fn.module.source)));
    if (found) return found;
  }
  return undefined;
}

/** `methods=["GET", "POST"]` → `['GET', 'POST']`; undefined when absent or not literal. */
function methodsOf(node: SyntaxNode | undefined, module: PythonModule): string[] | undefined {
  if (node?.name !== 'ArrayExpression' && node?.name !== 'TupleExpression') return undefined;
  const values = children(node)
    .map((c) => stringValue(c, module.source))
    .filter((v) => v !== undefined);
  return values.length > 0 ? values.map((v) => v.toUpperCase()) : undefined;
}

/**
 * Every route the app serves: its own, then those of the routers it includes and the apps it
 * mounts, each with the prefixes on the way (router prefix, include prefix, mount path).
 */
export function routesOf(graph: RouteGraph, appKey: string): RouteInfo[] {
  const out: RouteInfo[] = [];
  const visit = (
    objectKey: string,
    prefix: string,
    unknown: string | undefined,
    seen: ReadonlySet<string>,
  ) => {
    const object = graph.objects.get(objectKey);
    if (!object || seen.has(objectKey)) return;
    const base = joinPath(prefix, object.prefix ?? '');
    const unknownHere = unknown ?? object.prefixText;
    for (const route of graph.routes.get(objectKey) ?? [])
      out.push({
        ...route,
        path: joinPath(base, route.path),
        ...(unknownHere ? { unknownPrefix: unknownHere } : {}),
      });
    for (const edge of graph.edges) {
      if (edge.from !== objectKey) continue;
      const next = joinPath(base, edge.prefix ?? '');
      visit(edge.to, next, unknownHere ?? edge.prefixText, new Set([...seen, objectKey]));
    }
  };
  visit(appKey, '', undefined, new Set());
  return out;
}

/** One warning per prefix analyze could not read, with how many routes it leaves unknown. */
export function prefixWarnings(routes: readonly RouteInfo[]): string[] {
  const counts = new Map<string, number>();
  for (const r of routes)
    if (r.unknownPrefix) counts.set(r.unknownPrefix, (counts.get(r.unknownPrefix) ?? 0) + 1);
  return [...counts].map(
    ([prefix, n]) =>
      `route prefix ${prefix} is not a value the sources fix: the full path of ${n} route${n === 1 ? '' : 's'} under it is unknown (set [tool.slipway] health if a probe route is among them)`,
  );
}

/** Objects nothing includes or mounts: the apps a process could serve. */
export function rootObjects(graph: RouteGraph): AppObject[] {
  const included = new Set(graph.edges.map((e) => e.to));
  return [...graph.objects.values()].filter((o) => !included.has(o.key));
}

function joinPath(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '') return prefix;
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

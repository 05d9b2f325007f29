import type { SyntaxNode } from '@lezer/common';
import { ProjectError } from '../errors.js';
import type { AppEntrypoint } from './model.js';
import { type PythonModule, resolveReference } from './python-source.js';
import { isFastapiClass, type RouteGraph, rootObjects } from './routes.js';
import { asCall, children, descendants, dottedName, text } from './syntax.js';

/** An app that uvicorn could serve, found in the sources. */
export interface AppCandidate extends AppEntrypoint {
  readonly file: string;
  readonly line: number;
  /** `module:name` of the FastAPI object the routes hang on (a factory's local app), if known. */
  readonly objectKey: string | undefined;
}

export interface AppOverride {
  /** `module:attr` or `module:factory()`. */
  readonly value: string;
  readonly source: 'slipway-config' | 'fastapi-entrypoint' | 'start-command';
  /** Where it was written, for messages: `[tool.slipway] app in /x/pyproject.toml`, `Dockerfile CMD`. */
  readonly where: string;
}

/** A top-level `def` that returns a FastAPI it created, or whose return annotation is FastAPI. */
function factoryOf(node: SyntaxNode, module: PythonModule): AppCandidate | undefined {
  const def = node.name === 'DecoratedStatement' ? node.getChild('FunctionDefinition') : node;
  if (def?.name !== 'FunctionDefinition') return undefined;
  const name = def.getChild('VariableName');
  const body = def.getChild('Body');
  if (!name || !body) return undefined;
  const annotation = dottedName(def.getChild('TypeDef')?.lastChild, module.source);
  const annotated = annotation !== undefined && isFastapiClass(module, annotation, 'FastAPI');
  const created = new Set<string>();
  let returned: string | undefined;
  let returnsNew = false;
  for (const inner of descendants(body)) {
    if (inner.name === 'AssignStatement') {
      const parts = children(inner);
      const call = asCall(parts.at(-1), module.source);
      if (call && parts[0]?.name === 'VariableName' && isFastapiClass(module, call.callee, 'FastAPI')) {
        created.add(text(parts[0], module.source));
      }
    } else if (inner.name === 'ReturnStatement') {
      const value = inner.lastChild;
      const call = asCall(value, module.source);
      if (call && isFastapiClass(module, call.callee, 'FastAPI')) returnsNew = true;
      const variable = value?.name === 'VariableName' ? text(value, module.source) : undefined;
      if (variable && created.has(variable)) returned = variable;
    }
  }
  if (!annotated && !returned && !returnsNew) return undefined;
  const attribute = text(name, module.source);
  return {
    module: module.name,
    attribute,
    factory: true,
    source: 'detected',
    file: module.file,
    line: module.line(def.from),
    objectKey: returned ? `${module.name}:${returned}` : undefined,
  };
}

/** The factory a top-level `def` of `module` named `name` is, if it is one. */
function factoryNamed(modules: ReadonlyMap<string, PythonModule>, module: string, name: string) {
  const found = modules.get(module);
  if (!found) return undefined;
  for (const node of children(found.tree.topNode)) {
    const factory = factoryOf(node, found);
    if (factory?.attribute === name) return factory;
  }
  return undefined;
}

/** `app = create_app(...)` at module level, where create_app is a factory of the project. */
function factoryCall(node: SyntaxNode, module: PythonModule, graph: RouteGraph): AppCandidate | undefined {
  if (node.name !== 'AssignStatement') return undefined;
  const parts = children(node);
  const call = asCall(parts.at(-1), module.source);
  if (!call || parts[0]?.name !== 'VariableName') return undefined;
  const ref = resolveReference(graph.modules, module, call.callee);
  const factory = ref.name === undefined ? undefined : factoryNamed(graph.modules, ref.module, ref.name);
  if (!factory) return undefined;
  return {
    module: module.name,
    attribute: text(parts[0], module.source),
    factory: false,
    source: 'detected',
    file: module.file,
    line: module.line(node.from),
    objectKey: factory.objectKey,
  };
}

/**
 * Module-level apps (`app = FastAPI()` that no other app mounts, or `app = create_app(...)`),
 * else app factories: uvicorn's two ways to find an app. A module-level app wins over the
 * factory that makes it: the module calls the factory with the arguments it needs.
 */
export function findAppCandidates(modules: readonly PythonModule[], graph: RouteGraph): AppCandidate[] {
  const roots = new Set(rootObjects(graph).map((o) => o.key));
  const instances = [...graph.objects.values()]
    .filter((o) => o.kind === 'app' && o.topLevel && roots.has(o.key))
    .map(
      (o): AppCandidate => ({
        module: o.module,
        attribute: o.name,
        factory: false,
        source: 'detected',
        file: o.file,
        line: o.line,
        objectKey: o.key,
      }),
    );
  for (const module of modules) {
    for (const node of children(module.tree.topNode)) {
      const call = factoryCall(node, module, graph);
      if (call) instances.push(call);
    }
  }
  if (instances.length > 0) return instances;
  const factories: AppCandidate[] = [];
  for (const module of modules) {
    for (const node of children(module.tree.topNode)) {
      const factory = factoryOf(node, module);
      if (factory) factories.push(factory);
    }
  }
  return factories;
}

/** Candidates whose module no other module of the project imports: the entry modules. */
function notImported(candidates: readonly AppCandidate[], modules: readonly PythonModule[]) {
  return candidates.filter(
    (c) =>
      !modules.some(
        (m) =>
          m.name !== c.module &&
          [...m.imports.values()].some(
            (b) => b.module === c.module || (b.name !== undefined && `${b.module}.${b.name}` === c.module),
          ),
      ),
  );
}

const describe = (c: AppCandidate) =>
  `${c.module}:${c.attribute}${c.factory ? '()' : ''} (${c.file}:${c.line})`;

const spelled = (c: AppCandidate) => `${c.module}:${c.attribute}${c.factory ? '()' : ''}`;

/**
 * Applies `[tool.slipway] app` / `[tool.fastapi] entrypoint`, else the first start command of the
 * project that names an app it has, else requires one candidate: the only one, else the only one
 * no other module imports. Warnings (a start command naming what the project lacks) go to `warn`.
 */
export function chooseApp(
  modules: readonly PythonModule[],
  graph: RouteGraph,
  override: AppOverride | undefined,
  searched: readonly string[],
  starts: readonly AppOverride[] = [],
  warn: (message: string) => void = () => {},
): AppEntrypoint & { readonly objectKey: string | undefined } {
  if (override) return { ...resolveOverride(modules, graph, override), decidedBy: override.where };
  for (const start of starts) {
    try {
      return { ...resolveOverride(modules, graph, start), decidedBy: `${start.where}: ${start.value}` };
    } catch (error) {
      if (!(error instanceof ProjectError)) throw error;
      warn(`${start.where} names ${start.value}, which the project does not define; ignored`);
    }
  }
  const candidates = findAppCandidates(modules, graph);
  const [only] = candidates;
  if (candidates.length === 1 && only) return { ...only, decidedBy: 'the only FastAPI app in the sources' };
  if (candidates.length === 0) {
    throw new ProjectError(
      `no FastAPI app found in ${searched.join(', ') || 'the project (no Python sources)'}: looked for a module-level \`app = FastAPI(...)\` and for app factories`,
      {
        fix: 'name the app with [tool.slipway] app = "module:attr" (or "module:factory()") in pyproject.toml',
      },
    );
  }
  const [entry, ...others] = notImported(candidates, modules);
  if (entry && others.length === 0)
    return { ...entry, decidedBy: 'the one app whose module no other module imports' };
  throw new ProjectError(
    `several FastAPI apps found and no start command of the project names one: ${candidates.map(describe).join(', ')}`,
    {
      fix: `choose one with [tool.slipway] app = "${only ? spelled(only) : 'module:app'}" in pyproject.toml (candidates: ${candidates.map(spelled).join(', ')})`,
    },
  );
}

function resolveOverride(modules: readonly PythonModule[], graph: RouteGraph, override: AppOverride) {
  const match = /^([\w.]+):(\w+)(\(\))?$/.exec(override.value.trim());
  if (!match?.[1] || !match[2]) {
    throw new ProjectError(`${override.where}: "${override.value}" is not module:attribute`, {
      fix: `write it as "package.module:app" in ${override.where}`,
    });
  }
  const [, moduleName, attribute, call] = match;
  const base = { module: moduleName, attribute, source: override.source };
  const module = modules.find((m) => m.name === moduleName);
  // The app may live in a dependency (another workspace member): uvicorn imports it all the same.
  if (!module)
    return { ...base, factory: call !== undefined, file: undefined, line: undefined, objectKey: undefined };
  const object = graph.objects.get(`${moduleName}:${attribute}`);
  if (object?.topLevel)
    return { ...base, factory: false, file: object.file, line: object.line, objectKey: object.key };
  for (const node of children(module.tree.topNode)) {
    const factory = factoryOf(node, module);
    if (factory?.attribute === attribute) return { ...factory, source: override.source };
    const call = factoryCall(node, module, graph);
    if (call?.attribute === attribute) return { ...call, source: override.source };
    if (definesName(node, module, attribute)) {
      return {
        ...base,
        factory: call !== undefined,
        file: module.file,
        line: module.line(node.from),
        objectKey: undefined,
      };
    }
  }
  throw new ProjectError(`${override.where}: "${override.value}": ${module.file} defines no ${attribute}`, {
    fix: `point ${override.where} at the name that holds the FastAPI app`,
  });
}

/** A top-level assignment, def or import that binds `name` (the app may be built indirectly). */
function definesName(node: SyntaxNode, module: PythonModule, name: string): boolean {
  if (node.name === 'AssignStatement')
    return node.firstChild ? text(node.firstChild, module.source) === name : false;
  const def = node.name === 'DecoratedStatement' ? node.lastChild : node;
  if (def?.name === 'FunctionDefinition')
    return def.getChild('VariableName')
      ? text(def.getChild('VariableName') as SyntaxNode, module.source) === name
      : false;
  return node.name === 'ImportStatement' && module.imports.has(name);
}

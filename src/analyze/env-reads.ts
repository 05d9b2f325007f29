import type { SyntaxNode } from '@lezer/common';
import type { EnvVar } from './model.js';
import { type PythonModule, resolveReference } from './python-source.js';
import { isSecretSetting } from './secret-names.js';
import { asCall, children, descendants, stringValue, text } from './syntax.js';

/**
 * Environment variables the app reads outside pydantic-settings: `os.getenv`, `os.environ.get`,
 * `os.environ[...]`, starlette's `Config` (`config("X", cast=Secret)`) and python-decouple's
 * `config()`. Each with its default as written and whether the app fails without it.
 */

type Reader = 'os.environ' | 'starlette Config' | 'python-decouple';
type Modules = ReadonlyMap<string, PythonModule>;

/** `os.getenv` however it was imported (`from os import getenv`, `import os as _os`). */
function fullName(module: PythonModule, dotted: string): string {
  const [head = '', ...rest] = dotted.split('.');
  const binding = module.imports.get(head);
  return binding ? [binding.module, binding.name, ...rest].filter(Boolean).join('.') : dotted;
}

/** Whether a name holds a `Config(...)` of starlette or decouple (here or imported from a project module). */
function configReader(modules: Modules, module: PythonModule, name: string, depth = 0): Reader | undefined {
  const full = fullName(module, name);
  if (full === 'decouple.config') return 'python-decouple';
  if (depth > 4) return undefined;
  let where = module;
  let local = name;
  if (module.imports.has(name)) {
    const ref = resolveReference(modules, module, name);
    const target = modules.get(ref.module);
    if (!target || !ref.name) return undefined;
    [where, local] = [target, ref.name];
    if (target.imports.has(local)) return configReader(modules, target, local, depth + 1);
  }
  for (const node of children(where.tree.topNode)) {
    const parts = node.name === 'AssignStatement' ? children(node) : [];
    if (parts[0]?.name !== 'VariableName' || text(parts[0], where.source) !== local) continue;
    const call = asCall(parts.at(-1), where.source);
    const cls = call && fullName(where, call.callee);
    if (cls === 'starlette.config.Config') return 'starlette Config';
    if (cls === 'decouple.AutoConfig' || cls === 'decouple.Config') return 'python-decouple';
  }
  return undefined;
}

function literal(node: SyntaxNode | undefined, module: PythonModule): string | undefined {
  if (!node) return undefined;
  const value = stringValue(node, module.source);
  if (value !== undefined) return value;
  if (node.name === 'Number' || node.name === 'Boolean') return text(node, module.source);
  return undefined;
}

/** The name the value is bound to (`LOG_LEVEL = os.getenv(...)`, `int(os.getenv(...))` too). */
function boundName(node: SyntaxNode, module: PythonModule): { field?: string; cast?: string } {
  let at: SyntaxNode = node;
  let cast: string | undefined;
  const wrapper = at.parent?.parent;
  const wrap = wrapper && asCall(wrapper, module.source);
  if (wrap && ['int', 'float', 'bool', 'str'].includes(wrap.callee) && wrapper) {
    cast = wrap.callee;
    at = wrapper;
  }
  const assign = at.parent;
  if (
    assign?.name === 'AssignStatement' &&
    assign.firstChild?.name === 'VariableName' &&
    assign.lastChild?.from === at.from
  )
    return { field: text(assign.firstChild, module.source), cast };
  return { cast };
}

export function findEnvReads(modules: readonly PythonModule[]): EnvVar[] {
  const byName: Modules = new Map(modules.map((m) => [m.name, m]));
  const out: EnvVar[] = [];
  const add = (
    reader: Reader,
    node: SyntaxNode,
    module: PythonModule,
    read: Omit<EnvVar, 'settingsClass' | 'field' | 'secret' | 'type'> & { type?: string },
  ) => {
    if (out.some((e) => e.name === read.name)) return;
    const { field, cast } = boundName(node, module);
    const type = read.type ?? cast ?? 'str';
    const secret = isSecretSetting(read.name, type, read.default);
    out.push({
      ...read,
      field: field ?? read.name,
      settingsClass: reader,
      type,
      secret,
      default: secret ? undefined : read.default,
    });
  };
  for (const module of modules) {
    for (const node of descendants(module.tree.topNode)) {
      if (node.name === 'MemberExpression') {
        // os.environ["X"]: a KeyError at start without it; `os.environ["X"] = ...` sets it instead.
        const parts = children(node);
        if (parts.length !== 4 || parts[1]?.name !== '[' || !parts[0]) continue;
        if (fullName(module, text(parts[0], module.source)) !== 'os.environ') continue;
        const name = stringValue(parts[2], module.source);
        const assign = node.parent;
        const target = assign?.name === 'AssignStatement' && assign.firstChild?.from === node.from;
        if (!name || target || assign?.name === 'DeleteStatement') continue;
        add('os.environ', node, module, { name, required: true, default: undefined });
        continue;
      }
      const call = asCall(node, module.source);
      if (!call) continue;
      const name = stringValue(call.args.positional[0] ?? call.args.keywords.get('key'), module.source);
      if (name === undefined) continue;
      const full = fullName(module, call.callee);
      const given = call.args.positional[1] ?? call.args.keywords.get('default');
      if (['os.getenv', 'os.environ.get', 'os.environ.setdefault'].includes(full)) {
        add('os.environ', node, module, { name, required: false, default: literal(given, module) });
        continue;
      }
      const reader = /^[A-Za-z_]\w*$/.test(call.callee)
        ? configReader(byName, module, call.callee)
        : undefined;
      if (!reader) continue;
      const defaultNode =
        call.args.keywords.get('default') ??
        (reader === 'starlette Config' ? call.args.positional[2] : undefined);
      const castNode =
        call.args.keywords.get('cast') ??
        (reader === 'starlette Config' ? call.args.positional[1] : undefined);
      add(reader, node, module, {
        name,
        required: defaultNode === undefined,
        default: literal(defaultNode, module),
        ...(castNode ? { type: text(castNode, module.source) } : {}),
      });
    }
  }
  return out;
}

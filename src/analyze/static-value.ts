import type { SyntaxNode } from '@lezer/common';
import { type PythonModule, resolveReference } from './python-source.js';
import { asCall, children, stringValue, text } from './syntax.js';

/**
 * What an expression of the project evaluates to without running it, as far as the sources say:
 * strings (literals, f-strings, `+`), module constants across imports, classes, their instances
 * and the defaults of their fields — so `settings.API_V1_STR` is the default of `API_V1_STR` in
 * the class that `settings = Settings()` (or `get_settings()`) makes.
 */
export type StaticValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'class' | 'instance'; readonly module: PythonModule; readonly node: SyntaxNode }
  | { readonly kind: 'function'; readonly module: PythonModule; readonly node: SyntaxNode }
  | { readonly kind: 'module'; readonly module: PythonModule };

type Modules = ReadonlyMap<string, PythonModule>;
const DEPTH = 12;

/** The expression's string value, or undefined when the sources do not fix it. */
export function staticString(node: SyntaxNode | undefined, module: PythonModule, modules: Modules) {
  const value = node && evaluate(node, module, modules, 0);
  return value?.kind === 'string' ? value.value : undefined;
}

/** The top-level binding of `name` in a module: an assignment's value, a def, a class, an import. */
export function lookup(
  module: PythonModule,
  name: string,
  modules: Modules,
  depth: number,
): StaticValue | undefined {
  if (depth > DEPTH) return undefined;
  let found: StaticValue | undefined;
  for (const node of children(module.tree.topNode)) {
    const def = node.name === 'DecoratedStatement' ? node.lastChild : node;
    if (def?.name === 'ClassDefinition' || def?.name === 'FunctionDefinition') {
      const id = def.getChild('VariableName');
      if (id && text(id, module.source) === name)
        found = { kind: def.name === 'ClassDefinition' ? 'class' : 'function', module, node: def };
    } else if (node.name === 'AssignStatement') {
      const parts = children(node);
      if (parts[0]?.name === 'VariableName' && text(parts[0], module.source) === name) {
        const value = parts.at(-1);
        if (value && value !== parts[0] && value.name !== 'TypeDef')
          found = evaluate(value, module, modules, depth + 1);
      }
    }
  }
  if (found) return found;
  if (!module.imports.has(name)) return undefined;
  const ref = resolveReference(modules, module, name);
  const target = modules.get(ref.module);
  if (!target) return undefined;
  if (ref.name === undefined) return { kind: 'module', module: target };
  const [head = '', ...rest] = ref.name.split('.');
  const value = lookup(target, head, modules, depth + 1);
  return rest.length === 0 ? value : undefined;
}

/** A class attribute or field default, searched through the project's base classes. */
function attributeOf(
  cls: StaticValue & { kind: 'class' | 'instance' },
  name: string,
  modules: Modules,
  depth: number,
): StaticValue | undefined {
  if (depth > DEPTH) return undefined;
  const { module, node } = cls;
  for (const stmt of children(node.getChild('Body') ?? node)) {
    if (stmt.name !== 'AssignStatement') continue;
    const parts = children(stmt);
    if (parts[0]?.name !== 'VariableName' || text(parts[0], module.source) !== name) continue;
    const typeDef = parts[1]?.name === 'TypeDef' ? parts[1] : undefined;
    const value =
      parts[1]?.name === 'AssignOp' ? parts[2] : parts[2]?.name === 'AssignOp' ? parts[3] : undefined;
    const call = asCall(value, module.source);
    if (value && call && /(^|\.)Field$/.test(call.callee)) {
      const given = call.args.positional[0] ?? call.args.keywords.get('default');
      return given ? evaluate(given, module, modules, depth + 1) : undefined;
    }
    if (value) return evaluate(value, module, modules, depth + 1);
    // `api: ApiSettings` with no value: nested settings built from the annotation's class.
    const annotation = typeDef?.lastChild;
    const type = annotation ? evaluate(annotation, module, modules, depth + 1) : undefined;
    return type?.kind === 'class' ? { ...type, kind: 'instance' } : undefined;
  }
  for (const base of children(node.getChild('ArgList') ?? node)) {
    if (base.name !== 'VariableName' && base.name !== 'MemberExpression') continue;
    const parent = evaluate(base, module, modules, depth + 1);
    if (parent?.kind !== 'class') continue;
    const found: StaticValue | undefined = attributeOf(parent, name, modules, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** What a function returns when every return says the same: `return Settings()`, `return _settings`. */
function returned(
  fn: StaticValue & { kind: 'function' },
  modules: Modules,
  depth: number,
): StaticValue | undefined {
  const body = fn.node.getChild('Body');
  const values: StaticValue[] = [];
  for (const stmt of body ? children(body) : []) {
    if (stmt.name !== 'ReturnStatement' || !stmt.lastChild || stmt.lastChild.name === 'return') continue;
    const value = evaluate(stmt.lastChild, fn.module, modules, depth + 1);
    if (value) values.push(value);
  }
  return values.length === 1 ? values[0] : undefined;
}

function formatString(node: SyntaxNode, module: PythonModule, modules: Modules, depth: number) {
  const raw = text(node, module.source);
  const quote = /^[A-Za-z]*('''|"""|'|")/.exec(raw);
  if (!quote?.[1]) return undefined;
  const start = node.from + quote[0].length;
  const end = node.to - quote[1].length;
  let out = '';
  let at = start;
  for (const part of children(node)) {
    if (part.name !== 'FormatReplacement') continue;
    out += module.source.slice(at, part.from);
    const inner = children(part).filter(
      (c) => !['{', '}', 'FormatSpec', 'FormatConversion'].includes(c.name),
    );
    const value = inner.length === 1 && inner[0] ? evaluate(inner[0], module, modules, depth + 1) : undefined;
    if (value?.kind !== 'string') return undefined;
    out += value.value.replace(/[{}]/g, (c) => c + c);
    at = part.to;
  }
  out += module.source.slice(at, end);
  return out.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
}

export function evaluate(
  node: SyntaxNode,
  module: PythonModule,
  modules: Modules,
  depth: number,
): StaticValue | undefined {
  if (depth > DEPTH) return undefined;
  const literal = stringValue(node, module.source);
  if (literal !== undefined) return { kind: 'string', value: literal };
  switch (node.name) {
    case 'FormatString': {
      const value = formatString(node, module, modules, depth);
      return value === undefined ? undefined : { kind: 'string', value };
    }
    case 'ContinuedString':
    case 'BinaryExpression': {
      const parts = children(node);
      if (
        node.name === 'BinaryExpression' &&
        (parts.length !== 3 || text(parts[1] as SyntaxNode, module.source) !== '+')
      )
        return undefined;
      const operands = node.name === 'BinaryExpression' ? [parts[0], parts[2]] : parts;
      let out = '';
      for (const operand of operands) {
        const value = operand && evaluate(operand, module, modules, depth + 1);
        if (value?.kind !== 'string') return undefined;
        out += value.value;
      }
      return { kind: 'string', value: out };
    }
    case 'ParenthesizedExpression':
      return node.firstChild?.nextSibling
        ? evaluate(node.firstChild.nextSibling, module, modules, depth + 1)
        : undefined;
    case 'VariableName':
      return lookup(module, text(node, module.source), modules, depth + 1);
    case 'MemberExpression': {
      const parts = children(node);
      const last = parts.at(-1);
      if (parts.length !== 3 || last?.name !== 'PropertyName' || !parts[0]) return undefined;
      const base = evaluate(parts[0], module, modules, depth + 1);
      const name = text(last, module.source);
      if (base?.kind === 'module') return lookup(base.module, name, modules, depth + 1);
      if (base?.kind === 'class' || base?.kind === 'instance')
        return attributeOf(base, name, modules, depth + 1);
      return undefined;
    }
    case 'CallExpression': {
      if (!node.firstChild) return undefined;
      const callee = evaluate(node.firstChild, module, modules, depth + 1);
      if (callee?.kind === 'class') return { ...callee, kind: 'instance' };
      if (callee?.kind === 'function') return returned(callee, modules, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

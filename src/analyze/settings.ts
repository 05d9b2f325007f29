import type { SyntaxNode } from '@lezer/common';
import { findEnvReads } from './env-reads.js';
import type { EnvVar, SettingsClass, SettingsInfo } from './model.js';
import { type PythonModule, resolveReference } from './python-source.js';
import { isSecretSetting } from './secret-names.js';
import { lookup } from './static-value.js';
import { asCall, children, descendants, dottedName, stringValue, text } from './syntax.js';

interface ClassInfo {
  readonly key: string;
  readonly name: string;
  readonly module: PythonModule;
  readonly node: SyntaxNode;
  readonly bases: readonly string[];
}

interface Field {
  readonly field: string;
  readonly alias: string | undefined;
  readonly type: string;
  readonly required: boolean;
  readonly default: string | undefined;
}

/** Secret by type (SecretStr, SecretBytes), then by the words of its name (see secret-names.ts). */
export function isSecret(envName: string, type: string, value?: string): boolean {
  return isSecretSetting(envName, type, value);
}

function classes(modules: readonly PythonModule[]): ClassInfo[] {
  const out: ClassInfo[] = [];
  const byName = new Map(modules.map((m) => [m.name, m]));
  for (const module of modules) {
    for (const node of descendants(module.tree.topNode)) {
      if (node.name !== 'ClassDefinition') continue;
      const nameNode = node.getChild('VariableName');
      if (!nameNode) continue;
      const name = text(nameNode, module.source);
      const bases = children(node.getChild('ArgList') ?? node)
        .map((b) => dottedName(b, module.source))
        .filter((b) => b !== undefined)
        .map((b) => {
          const ref = resolveReference(byName, module, b);
          return `${ref.module}:${ref.name ?? ''}`;
        });
      out.push({ key: `${module.name}:${name}`, name, module, node, bases });
    }
  }
  return out;
}

// pydantic_settings.BaseSettings (v2) or pydantic.BaseSettings (v1), however it was imported.
const isBaseSettings = (base: string) => base.endsWith(':BaseSettings');

/** Literal values an env var could hold as written: strings, numbers, booleans, Path("..."). */
function literal(node: SyntaxNode | undefined, module: PythonModule): string | undefined {
  if (!node) return undefined;
  const str = stringValue(node, module.source);
  if (str !== undefined) return str;
  if (node.name === 'Number') return text(node, module.source);
  if (node.name === 'Boolean') return text(node, module.source).toLowerCase();
  if (node.name === 'UnaryExpression' && /^-\s*\d/.test(text(node, module.source)))
    return text(node, module.source).replace(/\s+/g, '');
  const call = asCall(node, module.source);
  if (call && /(^|\.)(Path|PurePath|PosixPath)$/.test(call.callee) && call.args.positional.length === 1) {
    return stringValue(call.args.positional[0], module.source);
  }
  return undefined;
}

/** The env name a `Field(alias=...)`, `validation_alias=...` (or v1 `env=...`) sets; the first choice of AliasChoices. */
function aliasOf(keywords: ReadonlyMap<string, SyntaxNode>, module: PythonModule): string | undefined {
  for (const key of ['validation_alias', 'alias', 'env']) {
    const node = keywords.get(key);
    const value = stringValue(node, module.source);
    if (value !== undefined) return value;
    const choices = asCall(node, module.source);
    if (choices?.callee.endsWith('AliasChoices')) {
      const first = stringValue(choices.args.positional[0], module.source);
      if (first !== undefined) return first;
    }
  }
  return undefined;
}

function readField(node: SyntaxNode, module: PythonModule): Field | undefined {
  const parts = children(node);
  const target = parts[0];
  const typeDef = parts[1];
  if (target?.name !== 'VariableName' || typeDef?.name !== 'TypeDef' || parts.length > 4) return undefined;
  const field = text(target, module.source);
  const type = text(typeDef, module.source).replace(/^:\s*/, '');
  if (field.startsWith('_') || field === 'model_config' || /^['"]?(typing\.)?ClassVar\b/.test(type))
    return undefined;
  const value = parts[2]?.name === 'AssignOp' ? parts[3] : undefined;
  // `Annotated[str, Field(alias=...)]` carries the Field in the annotation instead of the value.
  const annotatedField = [...descendants(typeDef)]
    .map((n) => asCall(n, module.source))
    .find((c) => c?.callee.endsWith('Field'));
  const valueCall = asCall(value, module.source);
  const fieldCall = valueCall?.callee.match(/(^|\.)Field$/) ? valueCall : annotatedField;
  let required = value === undefined;
  let defaultValue = literal(value, module);
  if (fieldCall === valueCall && fieldCall) {
    const given = fieldCall.args.positional[0] ?? fieldCall.args.keywords.get('default');
    const ellipsis = given !== undefined && text(given, module.source) === '...';
    required = (given === undefined || ellipsis) && !fieldCall.args.keywords.has('default_factory');
    defaultValue = ellipsis ? undefined : literal(given, module);
  }
  return {
    field,
    alias: fieldCall ? aliasOf(fieldCall.args.keywords, module) : undefined,
    type,
    required,
    default: defaultValue,
  };
}

/** `model_config = SettingsConfigDict(key=...)` or `{"key": ...}`, else `class Config: key = ...`. */
function configOf(info: ClassInfo, key: string): string | undefined {
  const { module } = info;
  for (const stmt of children(info.node.getChild('Body') ?? info.node)) {
    if (
      stmt.name === 'AssignStatement' &&
      stmt.firstChild &&
      text(stmt.firstChild, module.source) === 'model_config'
    ) {
      const value = stmt.lastChild;
      const call = asCall(value, module.source);
      if (call) return stringValue(call.args.keywords.get(key), module.source);
      if (value?.name === 'DictionaryExpression') {
        const items = children(value);
        const at = items.findIndex((n) => stringValue(n, module.source) === key);
        if (at >= 0) return stringValue(items[at + 2], module.source);
      }
    }
    if (
      stmt.name === 'ClassDefinition' &&
      text(stmt.getChild('VariableName') ?? stmt, module.source) === 'Config'
    ) {
      for (const inner of children(stmt.getChild('Body') ?? stmt)) {
        if (
          inner.name === 'AssignStatement' &&
          inner.firstChild &&
          text(inner.firstChild, module.source) === key
        ) {
          return stringValue(inner.lastChild ?? undefined, module.source);
        }
      }
    }
  }
  return undefined;
}

/** A class that replaces pydantic-settings' sources (`settings_customise_sources`): env is not all. */
function customSources(info: ClassInfo): boolean {
  return children(info.node.getChild('Body') ?? info.node).some((stmt) => {
    const def = stmt.name === 'DecoratedStatement' ? stmt.lastChild : stmt;
    const id = def?.name === 'FunctionDefinition' ? def.getChild('VariableName') : null;
    return id ? text(id, info.module.source) === 'settings_customise_sources' : false;
  });
}

/**
 * pydantic-settings classes (deriving from BaseSettings directly or through another settings
 * class of the project) and the environment variables they read. A class that others derive
 * from is a base: its fields are reported through the classes that use it, with their prefix.
 */
export function findSettings(modules: readonly PythonModule[]): SettingsInfo {
  const all = classes(modules);
  const byModule = new Map(modules.map((m) => [m.name, m]));
  const byKey = new Map(all.map((c) => [c.key, c]));
  const settings = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of all) {
      if (settings.has(c.key)) continue;
      if (c.bases.some((b) => isBaseSettings(b) || settings.has(b))) {
        settings.add(c.key);
        changed = true;
      }
    }
  }
  const parents = (c: ClassInfo) =>
    c.bases.map((b) => byKey.get(b)).filter((p) => p !== undefined && settings.has(p.key)) as ClassInfo[];
  const isBase = new Set(all.filter((c) => settings.has(c.key)).flatMap((c) => parents(c).map((p) => p.key)));
  const prefixOf = (c: ClassInfo): string => configOf(c, 'env_prefix') ?? parents(c).map(prefixOf)[0] ?? '';
  const delimiterOf = (c: ClassInfo): string | undefined =>
    configOf(c, 'env_nested_delimiter') ?? parents(c).map(delimiterOf)[0];
  // A field typed as a model of the project (not settings itself) is read as nested variables
  // (`DB__HOST` with env_nested_delimiter="__"), else as one JSON variable.
  const nestedFields = (c: ClassInfo, type: string): Field[] | undefined => {
    const found = /^[A-Za-z_]\w*$/.test(type) ? lookup(c.module, type, byModule, 0) : undefined;
    if (found?.kind !== 'class') return undefined;
    const model =
      byKey.get(`${found.module.name}:${type}`) ??
      all.find((x) => x.module === found.module && x.node.from === found.node.from);
    return model && !settings.has(model.key) ? fieldsOf(model) : undefined;
  };
  const fieldsOf = (c: ClassInfo): Field[] => {
    const own = children(c.node.getChild('Body') ?? c.node)
      .filter((n) => n.name === 'AssignStatement')
      .map((n) => readField(n, c.module))
      .filter((f) => f !== undefined);
    const inherited = parents(c)
      .flatMap(fieldsOf)
      .filter((f) => !own.some((o) => o.field === f.field));
    return [...inherited, ...own];
  };
  const out: SettingsClass[] = [];
  const env: EnvVar[] = [];
  for (const c of all) {
    if (!settings.has(c.key) || isBase.has(c.key)) continue;
    const envPrefix = prefixOf(c);
    out.push({
      name: c.name,
      file: c.module.file,
      line: c.module.line(c.node.from),
      envPrefix,
      ...(customSources(c) ? { customSources: true } : {}),
    });
    const delimiter = delimiterOf(c);
    const expanded = fieldsOf(c).flatMap((f) => {
      const nested = delimiter ? nestedFields(c, f.type) : undefined;
      if (!nested) return [f];
      const base = f.alias ?? `${envPrefix}${f.field}`;
      return nested.map((n) => ({
        ...n,
        alias: `${base}${delimiter}${n.alias ?? n.field}`,
        required: f.required && n.required,
      }));
    });
    for (const f of expanded) {
      const name = (f.alias ?? `${envPrefix}${f.field}`).toUpperCase();
      if (env.some((e) => e.name === name)) continue;
      const secret = isSecret(name, f.type, f.default);
      env.push({
        name,
        field: f.field,
        settingsClass: c.name,
        type: f.type,
        required: f.required,
        default: secret ? undefined : f.default,
        secret,
      });
    }
  }
  for (const read of findEnvReads(modules)) if (!env.some((e) => e.name === read.name)) env.push(read);
  return { classes: out, env };
}

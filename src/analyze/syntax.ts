import type { SyntaxNode } from '@lezer/common';

/** Helpers over @lezer/python syntax nodes: the few shapes of Python that analyze reads. */

export function text(node: SyntaxNode, source: string): string {
  return source.slice(node.from, node.to);
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/** Every node below `node`, depth first, in source order. */
export function* descendants(node: SyntaxNode): Generator<SyntaxNode> {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    yield child;
    yield* descendants(child);
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
};

/**
 * The value of a string literal (also implicitly concatenated ones); undefined for f-strings
 * with placeholders and for anything that is not a string literal.
 */
export function stringValue(node: SyntaxNode | undefined, source: string): string | undefined {
  if (!node) return undefined;
  if (node.name === 'ContinuedString') {
    const parts = children(node).map((child) => stringValue(child, source));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (node.name !== 'String' && node.name !== 'FormatString') return undefined;
  const match = /^([rRbBuUfF]*)('''|"""|'|")([\s\S]*)\2$/.exec(text(node, source));
  if (!match) return undefined;
  const [, prefix = '', , body = ''] = match;
  if (/f/i.test(prefix) && /[{}]/.test(body.replace(/\{\{|\}\}/g, ''))) return undefined;
  const unbraced = /f/i.test(prefix) ? body.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : body;
  if (/r/i.test(prefix)) return unbraced;
  return unbraced.replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? `\\${c}`);
}

/** `a`, `a.b.c` for names and attribute chains; undefined for anything else. */
export function dottedName(node: SyntaxNode | null | undefined, source: string): string | undefined {
  if (!node) return undefined;
  if (node.name === 'VariableName') return text(node, source);
  if (node.name !== 'MemberExpression') return undefined;
  const parts = children(node);
  const last = parts.at(-1);
  if (parts.length !== 3 || last?.name !== 'PropertyName') return undefined;
  const base = dottedName(parts[0], source);
  return base === undefined ? undefined : `${base}.${text(last, source)}`;
}

export interface CallArgs {
  readonly positional: readonly SyntaxNode[];
  readonly keywords: ReadonlyMap<string, SyntaxNode>;
}

/** Splits an ArgList into positional and keyword arguments (`*args` and `**kwargs` are dropped). */
export function callArgs(argList: SyntaxNode | null | undefined, source: string): CallArgs {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  if (!argList) return { positional, keywords };
  let group: SyntaxNode[] = [];
  const flush = () => {
    const [first, second, third] = group;
    if (first && second?.name === 'AssignOp' && third) keywords.set(text(first, source), third);
    else if (first && group.length === 1) positional.push(first);
    group = [];
  };
  for (const child of children(argList)) {
    if (child.name === '(' || child.name === ')') continue;
    if (child.name === ',') flush();
    else group.push(child);
  }
  flush();
  return { positional, keywords };
}

/** For a CallExpression: the dotted callee (`FastAPI`, `fastapi.FastAPI`) and its arguments. */
export function asCall(node: SyntaxNode | null | undefined, source: string) {
  if (node?.name !== 'CallExpression') return undefined;
  const callee = dottedName(node.firstChild, source);
  if (callee === undefined) return undefined;
  return { callee, args: callArgs(node.getChild('ArgList'), source) };
}

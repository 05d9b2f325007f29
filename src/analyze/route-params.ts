import type { SyntaxNode } from '@lezer/common';
import type { PythonModule } from './python-source.js';
import { evaluate } from './static-value.js';
import { asCall, children, descendants, dottedName, text } from './syntax.js';

/** `app.include_router(router)` inside `def create_app(router, settings)`: bound by the caller. */
export interface ParameterEdge {
  readonly module: PythonModule;
  /** Offset of the FunctionDefinition whose parameter is included. */
  readonly fnFrom: number;
  readonly index: number;
  readonly name: string;
  readonly from: string;
  readonly prefix: string | undefined;
  readonly prefixText?: string;
}

/** The parameter of the enclosing function that `name` is, if it is one. */
export function parameterOf(node: SyntaxNode, name: string, module: PythonModule) {
  for (let at = node.parent; at; at = at.parent) {
    if (at.name !== 'FunctionDefinition') continue;
    const params = children(at.getChild('ParamList') ?? at)
      .filter((p) => p.name === 'VariableName')
      .map((p) => text(p, module.source))
      .filter((p) => p !== 'self' && p !== 'cls');
    const index = params.indexOf(name);
    return index < 0 ? undefined : { fnFrom: at.from, index, name };
  }
  return undefined;
}

/**
 * Edges for parameters: every call of the function in the project (`app = create_app(api_router,
 * settings)`) includes what it passes. `find` resolves a dotted name in a module to an object key.
 */
export function bindParameters(
  modules: readonly PythonModule[],
  byName: ReadonlyMap<string, PythonModule>,
  pending: readonly ParameterEdge[],
  find: (module: PythonModule, dotted: string) => string | undefined,
) {
  const out: { from: string; to: string; prefix: string | undefined; prefixText?: string }[] = [];
  if (pending.length === 0) return out;
  for (const module of modules) {
    for (const node of descendants(module.tree.topNode)) {
      const call = asCall(node, module.source);
      if (!call || !node.firstChild) continue;
      const fn = evaluate(node.firstChild, module, byName, 0);
      if (fn?.kind !== 'function') continue;
      for (const edge of pending) {
        if (edge.module !== fn.module || edge.fnFrom !== fn.node.from) continue;
        const arg = call.args.positional[edge.index] ?? call.args.keywords.get(edge.name);
        const dotted = dottedName(arg, module.source);
        const to = dotted === undefined ? undefined : find(module, dotted);
        if (to)
          out.push({
            from: edge.from,
            to,
            prefix: edge.prefix,
            ...(edge.prefixText ? { prefixText: edge.prefixText } : {}),
          });
      }
    }
  }
  return out;
}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The shape of src/ that DESIGN.md promises, checked on every run: folders depend one way, no
// command composes another command, and files stay small enough to hold one idea.
const SRC = resolve(import.meta.dirname, '..', '..', 'src');
const MAX_LINES = 300;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file, type-only and dynamic ones included, as absolute .ts paths. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((ref) => ref.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name).replace(/\.js$/, '.ts'));
}

/** `commands/ship.ts` → `commands`; a file at the top of src/ is its own unit (`result`, `cli`). */
function unitOf(file: string): string {
  const [first = '', ...rest] = relative(SRC, file).split(sep);
  return rest.length === 0 ? first.replace(/\.ts$/, '') : first;
}

/** Strongly connected components of more than one node: the import cycles between units. */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const state = new Map<string, { index: number; low: number; onStack: boolean }>();
  const found: string[][] = [];
  const visit = (node: string) => {
    const own = { index, low: index, onStack: true };
    index += 1;
    state.set(node, own);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (!seen) {
        visit(next);
        own.low = Math.min(own.low, state.get(next)?.low ?? own.low);
      } else if (seen.onStack) own.low = Math.min(own.low, seen.index);
    }
    if (own.low === own.index) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        (state.get(member) as { onStack: boolean }).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

const files = sourceFiles(SRC);

describe('architecture of src/', () => {
  it('has no import cycle between folders (type-only imports count)', () => {
    const graph = new Map<string, Set<string>>();
    const why = new Map<string, string>();
    for (const file of files) {
      const from = unitOf(file);
      const edges = graph.get(from) ?? new Set<string>();
      graph.set(from, edges);
      for (const target of importsOf(file)) {
        const to = unitOf(target);
        if (to === from) continue;
        edges.add(to);
        why.set(`${from}>${to}`, `${relative(SRC, file)} imports ${relative(SRC, target)}`);
      }
    }
    const described = cycles(graph).map((component) => {
      const inside = [...why.entries()].filter(([edge]) => {
        const [a = '', b = ''] = edge.split('>');
        return component.includes(a) && component.includes(b);
      });
      return `${component.join(' ⇄ ')}: ${inside.map(([, reason]) => reason).join('; ')}`;
    });
    expect(described).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('has no command module that imports another command', () => {
    const commands = files.filter((file) => unitOf(file) === 'commands');
    const offending = commands.flatMap((file) =>
      importsOf(file)
        .filter((target) => unitOf(target) === 'commands')
        .map((target) => `${relative(SRC, file)} imports ${relative(SRC, target)}`),
    );
    expect(commands.length).toBeGreaterThan(5);
    expect(offending).toEqual([]);
  });

  it('has no report module that imports a command', () => {
    const offending = files
      .filter((file) => unitOf(file) === 'report')
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => unitOf(target) === 'commands')
          .map((target) => `${relative(SRC, file)} imports ${relative(SRC, target)}`),
      );
    expect(offending).toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file: relative(SRC, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});

/**
 * Where a line of `helm template` output was written in the chart's template. Helm keeps the
 * literal lines of a template as they are and replaces only the `{{ }}` parts, so a rendered line
 * is found in its template by its chain of YAML keys (the keys of the lines it is nested under),
 * the n-th rendered line of a chain matching the n-th template line of it. A line that a template
 * function wrote (`toYaml ... | nindent`) has no line of its own: it maps to the nearest enclosing
 * line that has one, the line holding that function.
 */

interface KeyedLine {
  /** 1-based line number. */
  readonly line: number;
  readonly indent: number;
  /** The key (`-name` for a list item's first key), or the trimmed text of a scalar item. */
  readonly key: string;
  readonly text: string;
}

const KEY = /^([^:#{}'"]+?):(\s|$)/;

function keyedLine(text: string, line: number): KeyedLine | undefined {
  const trimmed = text.trim();
  // Blank lines, comments, document separators and template-only lines hold no YAML key.
  if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed.startsWith('{{')) {
    return undefined;
  }
  const indent = text.length - text.trimStart().length;
  const item = /^-(\s+|$)/.exec(trimmed);
  const rest = item ? trimmed.slice(item[0].length) : trimmed;
  const key = KEY.exec(rest)?.[1]?.trim() ?? rest;
  return { line, indent, key: item ? `-${key}` : key, text: trimmed };
}

/** Each keyed line with the chain of keys above it, joined; in order. */
function chains(
  lines: readonly string[],
  first: number,
): { at: KeyedLine; chain: string; parent?: number }[] {
  const stack: KeyedLine[] = [];
  const out: { at: KeyedLine; chain: string; parent?: number }[] = [];
  lines.forEach((text, index) => {
    const at = keyedLine(text, first + index);
    if (!at) return;
    while (stack.length > 0 && (stack.at(-1) as KeyedLine).indent >= at.indent) stack.pop();
    const parent = stack.at(-1)?.line;
    out.push({
      at,
      chain: [...stack, at].map((entry) => entry.key).join('\u0000'),
      ...(parent !== undefined ? { parent } : {}),
    });
    stack.push(at);
  });
  return out;
}

/**
 * Maps the lines of one rendered document (`rendered`, whose first line is line `first` of the
 * whole output) to lines of its template; unmapped lines go to `fallback` (the template's first
 * YAML line).
 */
export function templateLineMap(
  template: string,
  rendered: readonly string[],
  first: number,
): (line: number) => number {
  const inTemplate = new Map<string, KeyedLine[]>();
  const templateLines = chains(template.split(/\r?\n/), 1);
  for (const { at, chain } of templateLines) inTemplate.set(chain, [...(inTemplate.get(chain) ?? []), at]);
  const fallback = templateLines[0]?.at.line ?? 1;
  const seen = new Map<string, number>();
  const mapped = new Map<number, number>();
  for (const { at, chain, parent } of chains(rendered, first)) {
    const candidates = inTemplate.get(chain) ?? [];
    const nth = seen.get(chain) ?? 0;
    seen.set(chain, nth + 1);
    // The n-th line of that chain when it reads the same (a literal line), else the first that
    // does, else the n-th (a line with a template value), else where its parent went.
    const nthCandidate = candidates[Math.min(nth, candidates.length - 1)];
    const target =
      (nthCandidate?.text === at.text ? nthCandidate.line : undefined) ??
      candidates.find((candidate) => candidate.text === at.text)?.line ??
      nthCandidate?.line ??
      (parent !== undefined ? mapped.get(parent) : undefined) ??
      fallback;
    mapped.set(at.line, target);
  }
  return (line) => {
    // A line between keyed lines (a comment, a block scalar's text) takes the one above it.
    for (let at = line; at >= first; at -= 1) {
      const found = mapped.get(at);
      if (found !== undefined) return found;
    }
    return fallback;
  };
}

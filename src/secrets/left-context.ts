/**
 * Most gitleaks rules open with `[\w.-]{0,50}?` (the rest of an identifier before the keyword:
 * `DB_PASSWORD` for `password`). A backtracking engine retries the whole pattern at each of up
 * to 50 prefix lengths from every position, which made those rules most of the scan's time.
 * The prefix only moves where the match starts, so the rest of the pattern can run alone and
 * the match be taken back over the `[\w.-]` characters before it afterwards (up to 50, and not
 * before where the search began). That gives the same matches: the earliest place the rest
 * matches yields the leftmost start, and the shortest lazy prefix reaching it.
 *
 * Only for a prefix that applies to every alternative: none when the pattern (or the group the
 * inner prefix opens) has a top-level `|`. Sources are translate-re2 output: `]` inside a
 * class is always escaped.
 */
const CONTEXT = '[\\w.\\-]{0,50}?';
const WIDTH = 50;

/** Index of the `)` closing the group opened at `open`, or -1. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Whether `source` has a `|` outside every group and class. */
function alternates(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

export interface Split {
  readonly source: string;
  /** How many `[\w.-]` characters before a match of `source` belong to the match (0: none). */
  readonly extend: number;
}

export function splitLeftContext(source: string): Split {
  if (!source.startsWith(CONTEXT) || alternates(source)) return { source, extend: 0 };
  const rest = source.slice(CONTEXT.length);
  // `P(?:P…)`, as several rules are written: the two prefixes add up to one of 100.
  const inner = `(?:${CONTEXT}`;
  if (rest.startsWith(inner)) {
    const end = groupEnd(rest, 0);
    // Not when that group has alternatives or a quantifier: then its prefix is not the match's.
    if (end > 0 && !alternates(rest.slice(3, end)) && !/^[?*+{]/.test(rest.slice(end + 1))) {
      return { source: `(?:${rest.slice(inner.length)}`, extend: 2 * WIDTH };
    }
  }
  return { source: rest, extend: WIDTH };
}

const isContextChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x5f ||
  c === 0x2e ||
  c === 0x2d;

/** Where the match really starts: `index` taken back over up to `extend` context characters. */
export function matchStart(text: string, index: number, extend: number, searchedFrom: number): number {
  let start = index;
  const limit = Math.max(searchedFrom, index - extend);
  while (start > limit && isContextChar(text.charCodeAt(start - 1))) start--;
  return start;
}

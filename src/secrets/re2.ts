/**
 * Go RE2 syntax to a JavaScript RegExp, for rule sets written for Go (gitleaks). Node 20 has no
 * inline modifiers, so flags become what JS can say: a pattern-wide leading `(?i)` becomes the
 * `i` flag; any other case-insensitive stretch (`(?i:…)`, a `(?i)` mid-group, `(?-i:…)` inside
 * `(?i)`) is spelled out letter by letter (`k` → `[kK]`, `[a-f]` → `[a-fA-F]`); `.` says what RE2
 * means (`[^\n]`, or `[\s\S]` under `(?s)`); `(?m)` anchors become lookarounds. No `u` flag:
 * it would change `\w`-adjacent escapes and class syntax the patterns rely on.
 *
 * Known, accepted differences: JS `\s` is a superset of RE2's `[\t\n\f\r ]` (it adds \v and
 * Unicode spaces), and RE2's case folding also pairs `k`/`s` with the Kelvin sign and long s.
 *
 * Self-contained (no imports): scripts/secrets/update-rules.mjs loads this file on its own.
 */

export interface JsPattern {
  readonly source: string;
  readonly flags: string;
}

/** A construct with no faithful JavaScript equivalent: the caller drops the rule and says so. */
export class Untranslatable extends Error {
  override readonly name = 'Untranslatable';
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
}

/** RE2's POSIX classes as range pairs: each two characters are a range's first and last. */
const POSIX: Record<string, string> = {
  alnum: '09AZaz',
  alpha: 'AZaz',
  ascii: '\x00\x7f',
  blank: '\t\t  ',
  cntrl: '\x00\x1f\x7f\x7f',
  digit: '09',
  graph: '!~',
  lower: 'az',
  print: ' ~',
  punct: '!/:@[`{~',
  space: '\t\r  ',
  upper: 'AZ',
  word: '09AZ__az',
  xdigit: '09AFaf',
};

function posixRanges(pairs: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) out.push([pairs.charCodeAt(i), pairs.charCodeAt(i + 1)]);
  return out;
}

const CONTROL: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
const PERL_CLASS = new Set(['d', 'D', 'w', 'W', 's', 'S']);

/** Signals that a native `i` flag cannot hold because the case changes inside the pattern. */
class CaseToggles extends Error {}

const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const swapCase = (c: number) => c ^ 0x20;

/** One code unit as class or literal text: printable ASCII as is (escaped if special), else \uXXXX. */
function unit(c: number, special: string): string {
  if (c < 0x20 || c > 0x7e) {
    if (c > 0xffff) throw new Untranslatable('code point above U+FFFF needs the u flag');
    return `\\u${c.toString(16).padStart(4, '0')}`;
  }
  const ch = String.fromCharCode(c);
  return special.includes(ch) ? `\\${ch}` : ch;
}

class Translator {
  private pos = 0;
  private flags: Flags;
  private readonly stack: Flags[] = [];

  constructor(
    private readonly re: string,
    /** The `i` flag carries case-insensitivity: letters are left alone and toggles are refused. */
    private readonly nativeCase: boolean,
  ) {
    this.flags = { i: nativeCase, s: false, m: false };
  }

  run(): string {
    let out = '';
    while (this.pos < this.re.length) out += this.atom();
    if (this.stack.length > 0) throw new Untranslatable('unbalanced parenthesis');
    return out;
  }

  private fold(): boolean {
    return this.flags.i && !this.nativeCase;
  }

  private literal(c: number): string {
    if (this.fold() && isLetter(c)) return `[${unit(c, '')}${unit(swapCase(c), '')}]`;
    return unit(c, '\\^$.|?*+()[]{}/');
  }

  private hex(): number {
    const rest = this.re.slice(this.pos);
    const m = /^\{([0-9a-fA-F]+)\}/.exec(rest) ?? /^([0-9a-fA-F]{2})/.exec(rest);
    if (!m?.[1]) throw new Untranslatable('malformed \\x escape');
    this.pos += m[0].length;
    return Number.parseInt(m[1], 16);
  }

  private atom(): string {
    const ch = this.re[this.pos++] as string;
    switch (ch) {
      case '\\':
        return this.escape();
      case '[':
        return this.charClass();
      case '(':
        return this.open();
      case ')': {
        const saved = this.stack.pop();
        if (!saved) throw new Untranslatable('unbalanced parenthesis');
        this.flags = saved;
        return ')';
      }
      case '.':
        return this.flags.s ? '[\\s\\S]' : '[^\\n]';
      case '^':
        return this.flags.m ? '(?<![^\\n])' : '^';
      case '$':
        return this.flags.m ? '(?![^\\n])' : '$';
      case '|':
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
        // Quantifiers and alternation mean the same in both; RE2's literal `{` (as in `${`) is
        // also literal in a JS pattern without the u flag.
        return ch;
      default:
        return this.literal(ch.codePointAt(0) as number);
    }
  }

  private escape(): string {
    const ch = this.re[this.pos++];
    if (ch === undefined) throw new Untranslatable('trailing backslash');
    if (ch === 'z') return '$';
    if (ch === 'A') return '^';
    if (ch === 'b' || ch === 'B' || PERL_CLASS.has(ch)) return `\\${ch}`;
    if (ch === 'x') return this.literal(this.hex());
    if (ch in CONTROL) return this.literal(CONTROL[ch] as number);
    if (ch === 'Q') {
      const end = this.re.indexOf('\\E', this.pos);
      const text = this.re.slice(this.pos, end < 0 ? undefined : end);
      this.pos = end < 0 ? this.re.length : end + 2;
      return [...text].map((c) => this.literal(c.codePointAt(0) as number)).join('');
    }
    if (/[A-Za-z0-9]/.test(ch)) throw new Untranslatable(`escape \\${ch}`);
    return this.literal(ch.charCodeAt(0));
  }

  private open(): string {
    this.stack.push({ ...this.flags });
    if (this.re[this.pos] !== '?') return '(';
    const rest = this.re.slice(this.pos + 1);
    const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      this.pos += 1 + named[0].length;
      return `(?<${named[1]}>`;
    }
    const flagged = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
    if (!flagged) throw new Untranslatable(`group (?${rest.slice(0, 3)}`);
    this.pos += 1 + flagged[0].length;
    const [, on = '', off = '', end] = flagged;
    if (`${on}${off}`.includes('U')) throw new Untranslatable('ungreedy flag (?U)');
    if (this.nativeCase && (on.includes('i') || off.includes('i'))) throw new CaseToggles();
    for (const f of on) this.flags[f as keyof Flags] = true;
    for (const f of off) this.flags[f as keyof Flags] = false;
    if (end === ':') return '(?:';
    // `(?i)` alone opens no group: its flags hold to the end of the enclosing one, whose `)`
    // restores what was saved when that group opened.
    this.stack.pop();
    return '';
  }

  /** One class member as code-unit ranges, or a Perl class escape kept as text. */
  private classItem(): [number, number][] | string {
    const ch = this.re[this.pos++] as string;
    if (ch === '[' && this.re[this.pos] === ':') {
      const m = /^:(\^?)([a-z]+):\]/.exec(this.re.slice(this.pos));
      if (m?.[2]) {
        const pairs = POSIX[m[2]];
        if (pairs === undefined) throw new Untranslatable(`POSIX class [:${m[2]}:]`);
        if (m[1]) throw new Untranslatable(`negated POSIX class [:^${m[2]}:]`);
        this.pos += m[0].length;
        return posixRanges(pairs);
      }
    }
    if (ch !== '\\') return [[ch.charCodeAt(0), ch.charCodeAt(0)]];
    const e = this.re[this.pos++];
    if (e === undefined) throw new Untranslatable('trailing backslash');
    if (PERL_CLASS.has(e)) return `\\${e}`;
    if (e === 'x') {
      const c = this.hex();
      return [[c, c]];
    }
    if (e in CONTROL) return [[CONTROL[e] as number, CONTROL[e] as number]];
    if (/[A-Za-z0-9]/.test(e)) throw new Untranslatable(`escape \\${e} in a class`);
    return [[e.charCodeAt(0), e.charCodeAt(0)]];
  }

  private charClass(): string {
    let out = '[';
    if (this.re[this.pos] === '^') {
      out += '^';
      this.pos++;
    }
    const ranges: [number, number][] = [];
    let first = true;
    // RE2 reads a `]` right after `[` or `[^` as a member; JS would read `[]`/`[^]` instead.
    while (first || this.re[this.pos] !== ']') {
      if (this.pos >= this.re.length) throw new Untranslatable('unterminated class');
      first = false;
      const item = this.classItem();
      if (typeof item === 'string') {
        out += item;
        continue;
      }
      const lo = item[0];
      if (
        item.length === 1 &&
        lo &&
        lo[0] === lo[1] &&
        this.re[this.pos] === '-' &&
        this.re[this.pos + 1] !== ']'
      ) {
        this.pos++;
        const hi = this.classItem();
        if (typeof hi === 'string' || hi.length !== 1 || !hi[0]) throw new Untranslatable('bad class range');
        if (hi[0][0] < lo[0]) throw new Untranslatable('reversed class range');
        ranges.push([lo[0], hi[0][0]]);
      } else {
        ranges.push(...item);
      }
    }
    this.pos++;
    for (const [lo, hi] of this.fold() ? withOtherCase(ranges) : ranges) {
      const special = '\\]^-[';
      out += lo === hi ? unit(lo, special) : `${unit(lo, special)}-${unit(hi, special)}`;
    }
    return `${out}]`;
  }
}

/** The ranges plus their letters in the other case (folding before negation, as RE2 does). */
function withOtherCase(ranges: [number, number][]): [number, number][] {
  const out = [...ranges];
  for (const [lo, hi] of ranges) {
    for (const [a, z] of [
      [0x41, 0x5a],
      [0x61, 0x7a],
    ] as const) {
      const from = Math.max(lo, a);
      const to = Math.min(hi, z);
      if (from <= to) out.push([swapCase(from), swapCase(to)]);
    }
  }
  return out;
}

export function translateRe2(re2: string): JsPattern {
  let result: JsPattern;
  const leading = /^\(\?i\)/.exec(re2);
  try {
    result = leading
      ? { source: new Translator(re2.slice(leading[0].length), true).run(), flags: 'i' }
      : { source: new Translator(re2, false).run(), flags: '' };
  } catch (error) {
    if (!(error instanceof CaseToggles)) throw error;
    result = { source: new Translator(re2, false).run(), flags: '' };
  }
  try {
    new RegExp(result.source, result.flags);
  } catch (error) {
    throw new Untranslatable(`JavaScript rejects the translation: ${(error as Error).message}`);
  }
  return result;
}

/**
 * A Python literal as written in a settings class (`2_000`, `True`, `["a", 'b']`, `{"k": 1}`), as
 * the string pydantic-settings reads back from the environment: numbers without `_`, booleans in
 * lower case, strings unquoted, lists, tuples, sets and dicts as JSON. `None` has no environment
 * form (unset is None): undefined. An expression that is not a literal stays as written.
 */
export function pythonEnvValue(literal: string): string | undefined {
  const text = literal.trim();
  if (text === 'None') return undefined;
  try {
    const parser = new LiteralParser(text);
    const value = parser.value();
    parser.end();
    if (value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'boolean') return String(value);
    // 1.50 stays 1.50 (as written, without the separators); 0x10 becomes 16.
    if (typeof value === 'number')
      return /^[-+]?0[xXoObB]/.test(text) ? String(value) : text.replace(/_/g, '').replace(/^\+/, '');
    return JSON.stringify(value);
  } catch {
    return text;
  }
}

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

class LiteralParser {
  private at = 0;
  constructor(private readonly text: string) {}

  end(): void {
    this.space();
    if (this.at < this.text.length) throw new Error('trailing text');
  }

  value(): Value {
    this.space();
    const c = this.text[this.at];
    if (c === '[' || c === '(') return this.sequence(c === '[' ? ']' : ')');
    if (c === '{') return this.mapping();
    const string =
      /^[rRbBuU]?(?:"""([\s\S]*?)"""|'''([\s\S]*?)'''|"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')/.exec(
        this.text.slice(this.at),
      );
    if (string) {
      this.at += string[0].length;
      const raw = /^[rR]/.test(string[0]);
      const body = string[1] ?? string[2] ?? string[3] ?? string[4] ?? '';
      // Adjacent literals concatenate, as Python does: "a" "b" is "ab".
      const rest = /^\s*[rRbBuU]?["']/.test(this.text.slice(this.at)) ? this.value() : '';
      return (raw ? body : unescapePython(body)) + (typeof rest === 'string' ? rest : '');
    }
    const word =
      /^(True|False|None|[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?))/.exec(
        this.text.slice(this.at),
      );
    if (!word) throw new Error('not a literal');
    this.at += word[0].length;
    const token = word[0];
    if (token === 'True') return true;
    if (token === 'False') return false;
    if (token === 'None') return null;
    const digits = token.replace(/_/g, '');
    if (/^[-+]?0[xXoObB]/.test(digits)) {
      const sign = digits.startsWith('-') ? -1 : 1;
      return sign * Number(digits.replace(/^[-+]/, ''));
    }
    const number = Number(digits);
    if (!Number.isFinite(number)) throw new Error('not a number');
    return number;
  }

  private sequence(close: string): Value[] {
    this.at += 1;
    const items: Value[] = [];
    for (;;) {
      this.space();
      if (this.text[this.at] === close) break;
      items.push(this.value());
      this.space();
      if (this.text[this.at] === ',') this.at += 1;
      else if (this.text[this.at] !== close) throw new Error('expected , or the end');
    }
    this.at += 1;
    return items;
  }

  private mapping(): Value {
    this.at += 1;
    const entries: [string, Value][] = [];
    const items: Value[] = [];
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') break;
      const key = this.value();
      this.space();
      if (this.text[this.at] === ':') {
        this.at += 1;
        entries.push([typeof key === 'string' ? key : JSON.stringify(key), this.value()]);
      } else items.push(key);
      this.space();
      if (this.text[this.at] === ',') this.at += 1;
      else if (this.text[this.at] !== '}') throw new Error('expected , or }');
    }
    this.at += 1;
    // {1, 2} is a set: JSON has arrays for it.
    return entries.length === 0 && items.length > 0 ? items : Object.fromEntries(entries);
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at += 1;
  }
}

function unescapePython(body: string): string {
  const named: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '0': '\0',
    '\\': '\\',
    "'": "'",
    '"': '"',
  };
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, code: string) =>
    code.length > 1 ? String.fromCharCode(Number.parseInt(code.slice(1), 16)) : (named[code] ?? `\\${code}`),
  );
}

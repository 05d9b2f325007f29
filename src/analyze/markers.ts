/**
 * PEP 508 environment markers in one canonical form, so that a marker written in pyproject.toml
 * compares equal to the one uv wrote into uv.lock. uv rewrites markers when it locks:
 * `python_version <= '3.11'` becomes `python_full_version < '3.12'`, quotes become single,
 * and the clauses of an `and` are reordered. This module applies the same rewrites, then sorts.
 */

type Marker =
  | { readonly kind: 'atom'; readonly text: string }
  | { readonly kind: 'and' | 'or'; readonly items: readonly Marker[] };

const TOKEN = /\s*(\(|\)|'[^']*'|"[^"]*"|===|==|!=|~=|<=|>=|<|>|not\s+in\b|in\b|and\b|or\b|[A-Za-z_][\w.]*)/y;

function tokenize(text: string): string[] | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match?.[1]) return undefined;
    tokens.push(match[1].replace(/\s+/g, ' '));
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: string[]) {}

  parse(): Marker | undefined {
    const marker = this.or();
    return marker && this.pos === this.tokens.length ? marker : undefined;
  }

  private or(): Marker | undefined {
    return this.chain('or', () => this.and());
  }

  private and(): Marker | undefined {
    return this.chain('and', () => this.atom());
  }

  private chain(op: 'and' | 'or', next: () => Marker | undefined): Marker | undefined {
    const items: Marker[] = [];
    do {
      const item = next();
      if (!item) return undefined;
      items.push(item);
    } while (this.tokens[this.pos] === op && ++this.pos);
    return items.length === 1 ? items[0] : { kind: op, items };
  }

  private atom(): Marker | undefined {
    if (this.tokens[this.pos] === '(') {
      this.pos++;
      const inner = this.or();
      if (this.tokens[this.pos++] !== ')') return undefined;
      return inner;
    }
    const [left, op, right] = this.tokens.slice(this.pos, this.pos + 3);
    if (left === undefined || op === undefined || right === undefined) return undefined;
    if (!/^(===|==|!=|~=|<=|>=|<|>|not in|in)$/.test(op)) return undefined;
    this.pos += 3;
    return { kind: 'atom', text: rewriteAtom(left, op, right) };
  }
}

const quote = (token: string) => (/^['"]/.test(token) ? `'${token.slice(1, -1)}'` : token);

function bumpMinor(version: string): string {
  const [major, minor] = version.split('.');
  return `${major}.${Number(minor) + 1}`;
}

/** uv's rewrites of one comparison: python_version X.Y to python_full_version, extras normalized. */
function rewriteAtom(left: string, op: string, right: string): string {
  const value = right.replace(/^['"]|['"]$/g, '');
  if (left === 'python_version' && /^['"]\d+\.\d+['"]$/.test(right)) {
    const full = 'python_full_version';
    switch (op) {
      case '<=':
        return `${full} < '${bumpMinor(value)}'`;
      case '>':
        return `${full} >= '${bumpMinor(value)}'`;
      case '==':
      case '!=':
        return `${full} ${op} '${value}.*'`;
      case '<':
      case '>=':
        return `${full} ${op} '${value}'`;
    }
  }
  if (left === 'extra' && (op === '==' || op === '!=')) {
    return `extra ${op} '${value.toLowerCase().replace(/[-_.]+/g, '-')}'`;
  }
  return `${quote(left)} ${op} ${quote(right)}`;
}

function render(marker: Marker, nested: boolean): string {
  if (marker.kind === 'atom') return marker.text;
  const text = [...new Set(flatten(marker, marker.kind))].sort().join(` ${marker.kind} `);
  return nested && marker.kind === 'or' ? `(${text})` : text;
}

// `a and (b and c)` is `a and b and c`; clause order carries no meaning, so the items get sorted.
function flatten(marker: Marker, kind: 'and' | 'or'): string[] {
  if (marker.kind !== kind) return [render(marker, true)];
  return marker.items.flatMap((item) => flatten(item, kind));
}

/** Canonical text of a marker; when it cannot be parsed, the text with spaces and quotes evened out. */
export function normalizeMarker(text: string): string {
  const tokens = tokenize(text);
  const marker = tokens && new Parser(tokens).parse();
  if (!marker) return text.trim().replace(/\s+/g, ' ').replace(/"/g, "'");
  return render(marker, false);
}

/** The marker of an optional dependency as uv records it: `(<marker>) and extra == '<name>'`. */
export function withExtra(marker: string, extra: string): string {
  const clause = `extra == '${extra}'`;
  return normalizeMarker(marker === '' ? clause : `(${marker}) and ${clause}`);
}

/** Marker variables of the target environment; a variable not listed is unknown. */
export type MarkerEnvironment = Readonly<Record<string, string>>;

/** The image's environment: CPython `python` (X.Y) on glibc Linux, for one machine. */
export function linuxEnvironment(python: string, machine: 'x86_64' | 'aarch64'): MarkerEnvironment {
  return {
    sys_platform: 'linux',
    platform_system: 'Linux',
    os_name: 'posix',
    platform_machine: machine,
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
    python_version: python,
    python_full_version: `${python}.99`,
  };
}

function compareAtom(text: string, env: MarkerEnvironment): boolean | undefined {
  const tokens = tokenize(text);
  if (tokens?.length !== 3) return undefined;
  const [left = '', op = '', right = ''] = tokens;
  const value = (t: string) => (/^['"]/.test(t) ? t.slice(1, -1) : env[t]);
  const [a, b] = [value(left), value(right)];
  if (a === undefined || b === undefined) return undefined;
  if (op === 'in') return b.includes(a);
  if (op === 'not in') return !b.includes(a);
  const versions = /python_(full_)?version/.test(left) || /python_(full_)?version/.test(right);
  if (!versions) return op === '==' ? a === b : op === '!=' ? a !== b : undefined;
  // Version comparison, with uv's `X.Y.*` wildcard for ==/!=.
  const wildcard = b.endsWith('.*');
  const parts = (v: string) => v.replace(/\.\*$/, '').split('.').map(Number);
  const [pa, pb] = [parts(a), parts(b)];
  const width = wildcard ? pb.length : Math.max(pa.length, pb.length);
  let cmp = 0;
  for (let i = 0; i < width && cmp === 0; i++) cmp = Math.sign((pa[i] ?? 0) - (pb[i] ?? 0));
  const ops: Record<string, boolean> = {
    '==': cmp === 0,
    '===': cmp === 0,
    '!=': cmp !== 0,
    '<': cmp < 0,
    '<=': cmp <= 0,
    '>': cmp > 0,
    '>=': cmp >= 0,
    '~=': cmp >= 0,
  };
  return ops[op];
}

function evaluateTree(marker: Marker, env: MarkerEnvironment): boolean | undefined {
  if (marker.kind === 'atom') return compareAtom(marker.text, env);
  const values = marker.items.map((m) => evaluateTree(m, env));
  if (marker.kind === 'and') {
    if (values.includes(false)) return false;
    return values.includes(undefined) ? undefined : true;
  }
  if (values.includes(true)) return true;
  return values.includes(undefined) ? undefined : false;
}

/**
 * Whether a PEP 508 marker holds in `env`: true, false, or undefined when it depends on what
 * the environment does not say (an extra, a variable left out). An empty marker always holds.
 */
export function evaluateMarker(text: string, env: MarkerEnvironment): boolean | undefined {
  if (text.trim() === '') return true;
  const tokens = tokenize(text);
  const marker = tokens && new Parser(tokens).parse();
  return marker ? evaluateTree(marker, env) : undefined;
}

/**
 * Applies gitleaks-style rules to one file the way gitleaks' detector does: a file on a global
 * allowlisted path is skipped; the keyword prefilter picks the rules worth running; each regex
 * match gives a secret (secretGroup, else the first non-empty group, else the match) that must
 * beat the rule's entropy and pass the global, then the rule's, allowlists; a generic-* finding
 * gives way to a specific one on the same line that contains it.
 *
 * Not taken from gitleaks: decoding passes (base64/hex/percent) and the `gitleaks:allow`
 * comment (slipway's ignore file, with a reason and an expiry, is how a finding is accepted).
 * Added: slipway's isPlaceholder (`${TOKEN}`, `<token>`) is never a secret.
 */
import { KeywordIndex } from './keywords.js';
import { matchStart, splitLeftContext } from './left-context.js';
import { isPlaceholder } from './names.js';
import type { AllowlistData, PatternData, RuleData } from './rule-data.js';

export interface EngineRule extends RuleData {
  /**
   * Not skipped on the global allowlist's paths (dependency trees: site-packages, node_modules):
   * for secrets that are never expected there, such as a private key.
   */
  readonly anyPath?: boolean;
}

export interface Detection {
  readonly ruleId: string;
  /** The secret in clear: callers redact it before it goes anywhere. '' for "the file itself". */
  readonly secret: string;
  /** 1-based line of the secret's start; 0 for a path-only rule. */
  readonly line: number;
}

interface Allowlist {
  readonly and: boolean;
  readonly target: AllowlistData['regexTarget'];
  readonly regexes: readonly RegExp[];
  readonly paths: readonly RegExp[];
  readonly stopwords: readonly string[];
}

interface Rule {
  readonly id: string;
  readonly regex?: RegExp;
  /** Characters of `[\w.-]` the match may take back to the left (see leftContext). */
  readonly extend: number;
  readonly path?: RegExp;
  readonly secretGroup: number;
  readonly entropy: number;
  readonly keywords: readonly number[];
  readonly allowlists: readonly Allowlist[];
  readonly anyPath: boolean;
  readonly generic: boolean;
}

const compile = (p: PatternData, global = false) => new RegExp(p.source, global ? `${p.flags}g` : p.flags);

function regexOf(p: PatternData): { regex: RegExp; extend: number } {
  const split = splitLeftContext(p.source);
  return { regex: compile({ ...p, source: split.source }, true), extend: split.extend };
}

function compileAllowlist(a: AllowlistData): Allowlist {
  return {
    and: a.condition === 'AND',
    target: a.regexTarget,
    regexes: a.regexes.map((p) => compile(p)),
    paths: a.paths.map((p) => compile(p)),
    stopwords: a.stopwords,
  };
}

/** Shannon entropy as gitleaks computes it: counts per code point, divided by the UTF-8 length. */
export function shannonEntropy(data: string): number {
  if (data === '') return 0;
  const counts = new Map<string, number>();
  for (const ch of data) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = Buffer.byteLength(data, 'utf8');
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

interface Candidate {
  readonly rule: Rule;
  readonly secret: string;
  /** Index of the secret in the text. */
  readonly at: number;
  readonly match: string;
  readonly lineText: string;
}

const anyTest = (patterns: readonly RegExp[], text: string) => patterns.some((re) => re.test(text));

/** Whole-file allowance from the allowlists' paths (OR, or an AND made of paths only). */
function pathAllowed(allowlists: readonly Allowlist[], path: string): boolean {
  return allowlists.some((a) => {
    if (a.paths.length === 0) return false;
    if (!a.and) return anyTest(a.paths, path);
    return a.regexes.length === 0 && a.stopwords.length === 0 && anyTest(a.paths, path);
  });
}

function findingAllowed(allowlists: readonly Allowlist[], found: Candidate, path: string): boolean {
  return allowlists.some((a) => {
    const target = a.target === 'match' ? found.match : a.target === 'line' ? found.lineText : found.secret;
    const regex = target !== '' && anyTest(a.regexes, target);
    const lower = found.secret.toLowerCase();
    const stopword = found.secret !== '' && a.stopwords.some((w) => lower.includes(w));
    if (!a.and) return regex || stopword;
    const checks = [
      ...(a.paths.length > 0 ? [anyTest(a.paths, path)] : []),
      ...(a.regexes.length > 0 ? [regex] : []),
      ...(a.stopwords.length > 0 ? [stopword] : []),
    ];
    return checks.length > 0 && checks.every(Boolean);
  });
}

const NO_KEYWORDS: ReadonlySet<number> = new Set();

export class SecretEngine {
  private readonly rules: readonly Rule[];
  private readonly global: readonly Allowlist[];
  private readonly index: KeywordIndex;

  /** Compiles every pattern once; a scan then only runs them. */
  constructor(rules: readonly EngineRule[], globalAllowlists: readonly AllowlistData[]) {
    const keywords = [...new Set(rules.flatMap((r) => r.keywords))];
    const number = new Map(keywords.map((k, i) => [k, i]));
    this.index = new KeywordIndex(keywords);
    this.global = globalAllowlists.map(compileAllowlist);
    this.rules = rules.map((r) => ({
      id: r.id,
      ...(r.regex ? regexOf(r.regex) : { extend: 0 }),
      ...(r.path ? { path: compile(r.path) } : {}),
      secretGroup: r.secretGroup ?? 0,
      entropy: r.entropy ?? 0,
      keywords: r.keywords.map((k) => number.get(k) as number),
      allowlists: r.allowlists.map(compileAllowlist),
      anyPath: r.anyPath === true,
      generic: r.id.toLowerCase().includes('generic'),
    }));
  }

  get size(): number {
    return this.rules.length;
  }

  /** Rules that look at the path alone (a .p12 file is the finding), binary files included. */
  detectPath(path: string): Detection[] {
    const globalSkip = pathAllowed(this.global, path);
    return this.rules
      .filter((r) => !r.regex && r.path?.test(path) && (r.anyPath || !globalSkip))
      .filter((r) => !pathAllowed(r.allowlists, path))
      .map((r) => ({ ruleId: r.id, secret: '', line: 0 }));
  }

  /** Content rules over a text file. `content` is read as bytes first: most files end there. */
  detect(path: string, content: Buffer): Detection[] {
    const globalSkip = pathAllowed(this.global, path);
    // The path decides first: a file no content rule may judge (a dependency tree's, for rules
    // that skip those) is not read at all, not even for keywords.
    const byPath = this.rules.filter(
      (r) =>
        r.regex &&
        (r.anyPath || !globalSkip) &&
        (!r.path || r.path.test(path)) &&
        !pathAllowed(r.allowlists, path),
    );
    if (byPath.length === 0) return [];
    const keywords = byPath.some((r) => r.keywords.length > 0) ? this.index.find(content) : NO_KEYWORDS;
    const rules = byPath.filter((r) => r.keywords.length === 0 || r.keywords.some((k) => keywords.has(k)));
    if (rules.length === 0) return [];
    const text = content.toString('utf8');
    const found = rules
      .flatMap((rule) => this.run(rule, text, path))
      .map((c) => ({
        ruleId: c.rule.id,
        generic: c.rule.generic,
        secret: c.secret,
        line: lineNumber(text, c.at),
      }));
    return found
      .filter(
        (c) =>
          !c.generic || !found.some((o) => !o.generic && o.line === c.line && o.secret.includes(c.secret)),
      )
      .map(({ ruleId, secret, line }) => ({ ruleId, secret, line }));
  }

  private run(rule: Rule, text: string, path: string): Candidate[] {
    const out: Candidate[] = [];
    const regex = rule.regex as RegExp;
    regex.lastIndex = 0;
    let from = 0;
    for (let m = regex.exec(text); m !== null; from = regex.lastIndex, m = regex.exec(text)) {
      if (m[0] === '') {
        regex.lastIndex++;
        continue;
      }
      const begin = rule.extend > 0 ? matchStart(text, m.index, rule.extend, from) : m.index;
      const whole = text.slice(begin, m.index + m[0].length);
      // gitleaks trims newlines off the match (a pattern may end on one) before anything else.
      const match = whole.replace(/^\n+|\n+$/g, '');
      const start = begin + whole.indexOf(match);
      const secret = this.secretOf(rule, m, match);
      if (secret === '' || isPlaceholder(secret)) continue;
      if (rule.entropy > 0 && shannonEntropy(secret) <= rule.entropy) continue;
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const lineEnd = text.indexOf('\n', start + match.length);
      const candidate: Candidate = {
        rule,
        secret,
        at: start + Math.max(0, match.indexOf(secret)),
        match,
        lineText: text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd),
      };
      if (findingAllowed(this.global, candidate, path) || findingAllowed(rule.allowlists, candidate, path))
        continue;
      out.push(candidate);
    }
    return out;
  }

  private secretOf(rule: Rule, m: RegExpExecArray, match: string): string {
    if (m.length < 2) return match;
    if (rule.secretGroup > 0) return m[rule.secretGroup] ?? '';
    return m.slice(1).find((group) => group !== undefined && group !== '') ?? match;
  }
}

function lineNumber(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * gitleaks' config (parsed TOML) to slipway's rule data. Every Go pattern is translated to a
 * JavaScript RegExp here, once, when the data is regenerated; a rule whose pattern (or one of
 * its allowlist patterns: without it the rule would fire where upstream stays quiet) has no
 * faithful translation, or that uses a feature the engine lacks, is dropped and listed.
 *
 * Build-time code: scripts/secrets/update-rules.mjs loads it (and re2.ts) on its own, so its
 * only runtime import is ./re2.js.
 */
import { translateRe2, Untranslatable } from './re2.js';
import type { AllowlistData, PatternData, RuleData, RuleSetData } from './rule-data.js';

export type SourceInfo = RuleSetData['source'];

type Table = Record<string, unknown>;

const RULE_KEYS = new Set([
  'id',
  'description',
  'regex',
  'path',
  'secretGroup',
  'entropy',
  'keywords',
  'tags',
  'allowlist',
  'allowlists',
]);
const ALLOWLIST_KEYS = new Set([
  'description',
  'condition',
  'matchCondition',
  'regexTarget',
  'regexes',
  'paths',
  'stopwords',
  'commits',
]);

/** A rule that cannot be kept; the message says why. */
class Drop extends Error {}

function strings(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new Drop(`${what} is not a list of strings`);
  return value as string[];
}

function pattern(re2: string, what: string): PatternData {
  try {
    return { re2, ...translateRe2(re2) };
  } catch (error) {
    if (error instanceof Untranslatable) throw new Drop(`${what} ${JSON.stringify(re2)}: ${error.message}`);
    throw error;
  }
}

/** One allowlist, or undefined when it can never apply to a file in an image (see `notes`). */
function allowlist(raw: Table, where: string, notes: string[]): AllowlistData | undefined {
  const unknown = Object.keys(raw).filter((key) => !ALLOWLIST_KEYS.has(key));
  if (unknown.length > 0) throw new Drop(`${where}: unsupported allowlist fields ${unknown.join(', ')}`);
  const condition = String(raw.condition ?? raw.matchCondition ?? 'OR').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND') throw new Drop(`${where}: condition ${condition}`);
  const target = String(raw.regexTarget ?? '') || 'secret';
  if (target !== 'secret' && target !== 'match' && target !== 'line')
    throw new Drop(`${where}: regexTarget ${target}`);
  const commits = strings(raw.commits, `${where} commits`);
  const regexes = strings(raw.regexes, `${where} regexes`).map((re) => pattern(re, `${where} regex`));
  const paths = strings(raw.paths, `${where} paths`).map((re) => pattern(re, `${where} path`));
  const stopwords = [...new Set(strings(raw.stopwords, `${where} stopwords`).map((w) => w.toLowerCase()))];
  if (commits.length > 0) {
    // An image has files, not commits: an AND that needs a commit never holds; an OR keeps the rest.
    if (condition === 'AND') {
      notes.push(`${where}: AND allowlist needs a commit; left out (it cannot apply to image files)`);
      return undefined;
    }
    notes.push(`${where}: its ${commits.length} commits are ignored (image files have no commit)`);
    if (regexes.length + paths.length + stopwords.length === 0) return undefined;
  }
  return {
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    condition,
    regexTarget: target,
    regexes,
    paths,
    stopwords,
  };
}

function allowlists(single: unknown, many: unknown, where: string, notes: string[]): AllowlistData[] {
  const raws = [...(single === undefined ? [] : [single]), ...(Array.isArray(many) ? many : [])];
  return raws
    .map((raw, n) => allowlist(raw as Table, `${where} allowlist ${n + 1}`, notes))
    .filter((a): a is AllowlistData => a !== undefined);
}

function rule(raw: Table, notes: string[]): RuleData {
  const id = String(raw.id);
  const unknown = Object.keys(raw).filter((key) => !RULE_KEYS.has(key));
  if (unknown.length > 0) throw new Drop(`unsupported fields ${unknown.join(', ')}`);
  if (typeof raw.regex !== 'string' && typeof raw.path !== 'string') throw new Drop('neither regex nor path');
  const secretGroup = raw.secretGroup === undefined ? undefined : Number(raw.secretGroup);
  const entropy = raw.entropy === undefined ? undefined : Number(raw.entropy);
  return {
    id,
    description: String(raw.description ?? ''),
    ...(typeof raw.regex === 'string' ? { regex: pattern(raw.regex, 'regex') } : {}),
    ...(typeof raw.path === 'string' ? { path: pattern(raw.path, 'path') } : {}),
    ...(secretGroup ? { secretGroup } : {}),
    ...(entropy ? { entropy } : {}),
    keywords: [...new Set(strings(raw.keywords, 'keywords').map((k) => k.toLowerCase()))],
    allowlists: allowlists(raw.allowlist, raw.allowlists, id, notes),
  };
}

export function convertGitleaks(config: Table, source: SourceInfo): RuleSetData {
  const notes: string[] = [];
  if (config.extend !== undefined) throw new Error('an extending config needs its base resolved first');
  // Global allowlists apply to every rule: one that cannot be translated stops the conversion.
  let global: AllowlistData[];
  try {
    global = allowlists(config.allowlist, config.allowlists, 'global', notes);
  } catch (error) {
    throw new Error(`global allowlist: ${(error as Error).message}`);
  }
  if (Array.isArray(config.allowlists) && config.allowlists.some((a) => (a as Table).targetRules)) {
    throw new Error('global allowlists with targetRules are not supported');
  }
  const rules: RuleData[] = [];
  const dropped: { id: string; reason: string }[] = [];
  for (const raw of (config.rules ?? []) as Table[]) {
    try {
      rules.push(rule(raw, notes));
    } catch (error) {
      if (!(error instanceof Drop)) throw error;
      dropped.push({ id: String(raw.id), reason: error.message });
    }
  }
  return { source, allowlists: global, rules, dropped, notes };
}

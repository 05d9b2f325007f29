import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { GITLEAKS } from '../../../src/secrets/gitleaks.js';
import { convertGitleaks } from '../../../src/secrets/gitleaks-convert.js';
import { translateRe2 } from '../../../src/secrets/re2.js';
import type { PatternData } from '../../../src/secrets/rule-data.js';

const patterns = (): PatternData[] => [
  ...GITLEAKS.allowlists.flatMap((a) => [...a.regexes, ...a.paths]),
  ...GITLEAKS.rules.flatMap((r) => [
    ...(r.regex ? [r.regex] : []),
    ...(r.path ? [r.path] : []),
    ...r.allowlists.flatMap((a) => [...a.regexes, ...a.paths]),
  ]),
];

const SOURCE = { module: 'm', version: 'v0', sum: 'h1:x', file: 'f', license: 'MIT', licenseText: 'MIT' };

describe('the gitleaks rule data', () => {
  it('says where it comes from, under which license', () => {
    expect(GITLEAKS.source).toMatchObject({
      module: 'github.com/zricethezav/gitleaks/v8',
      version: 'v8.30.1',
      sum: 'h1:PmEvCfVI7ti9dV3s5aMZUY7sS2GxRvG3yzih7E+cS3w=',
      file: 'config/gitleaks.toml',
      license: 'MIT',
    });
    expect(GITLEAKS.source.licenseText).toContain('Copyright (c) 2019 Zachary Rice');
    const beside = readFileSync(new URL('../../../src/secrets/gitleaks-LICENSE', import.meta.url), 'utf8');
    expect(beside).toContain('v8.30.1');
    expect(beside).toContain(GITLEAKS.source.licenseText);
  });

  it('keeps every one of the 222 upstream rules: the dropped list is explicit, and empty', () => {
    expect(GITLEAKS.dropped).toEqual([]);
    expect(GITLEAKS.notes).toEqual([]);
    expect(GITLEAKS.rules.length + GITLEAKS.dropped.length).toBe(222);
    expect(new Set(GITLEAKS.rules.map((r) => r.id)).size).toBe(GITLEAKS.rules.length);
  });

  it('holds what the translator makes of each pattern today (regenerate after changing it)', () => {
    const all = patterns();
    expect(all.length).toBeGreaterThan(300);
    for (const pattern of all) {
      expect(translateRe2(pattern.re2), pattern.re2).toEqual({
        source: pattern.source,
        flags: pattern.flags,
      });
      expect(() => new RegExp(pattern.source, pattern.flags)).not.toThrow();
    }
  });

  it('keeps keywords and stopwords lower-cased, as the prefilter matches them', () => {
    for (const r of GITLEAKS.rules)
      expect(
        r.keywords.every((k) => k === k.toLowerCase()),
        r.id,
      ).toBe(true);
    expect(GITLEAKS.rules.find((r) => r.id === 'sonar-api-token')?.secretGroup).toBe(2);
  });
});

describe('converting a gitleaks config', () => {
  const config = parse(`
[allowlist]
paths = ['''\\.lock$''']
regexes = ['''(?i)^true$''']

[[rules]]
id = "kept"
regex = '''(?i)kept_(?P<secret>[a-z]{8})'''
keywords = ["KEPT_"]
entropy = 2.5
[[rules.allowlists]]
commits = ["abc123"]
stopwords = ["EXAMPLE"]
[[rules.allowlists]]
condition = "AND"
commits = ["abc123"]
paths = ['''x''']

[[rules]]
id = "lookahead"
regex = '''foo(?=bar)'''

[[rules]]
id = "bad-allowlist"
regex = '''tok_\\w+'''
[[rules.allowlists]]
regexes = ['''\\pL''']

[[rules]]
id = "composite"
regex = '''a'''
[[rules.required]]
id = "kept"
`);

  it('translates what it keeps, and lists each rule it drops with the reason', () => {
    const data = convertGitleaks(config, SOURCE);
    expect(data.allowlists[0]?.regexes[0]).toEqual({ re2: '(?i)^true$', source: '^true$', flags: 'i' });
    expect(data.rules.map((r) => r.id)).toEqual(['kept']);
    expect(data.rules[0]).toMatchObject({
      regex: { source: 'kept_(?<secret>[a-z]{8})', flags: 'i' },
      keywords: ['kept_'],
      entropy: 2.5,
      allowlists: [{ condition: 'OR', stopwords: ['example'], regexes: [], paths: [] }],
    });
    expect(data.dropped.map((d) => d.id)).toEqual(['lookahead', 'bad-allowlist', 'composite']);
    expect(data.dropped[0]?.reason).toMatch(/regex "foo\(\?=bar\)": group/);
    expect(data.dropped[1]?.reason).toMatch(/allowlist 1 regex/);
    expect(data.dropped[2]?.reason).toMatch(/unsupported fields required/);
  });

  it('says what it did with commit allowlists, which cannot apply to image files', () => {
    expect(convertGitleaks(config, SOURCE).notes).toEqual([
      'kept allowlist 1: its 1 commits are ignored (image files have no commit)',
      'kept allowlist 2: AND allowlist needs a commit; left out (it cannot apply to image files)',
    ]);
  });

  it('refuses a global allowlist it cannot translate rather than run every rule without it', () => {
    expect(() => convertGitleaks(parse("[allowlist]\nregexes = ['''(?=x)''']\n"), SOURCE)).toThrow(
      /global allowlist/,
    );
  });
});

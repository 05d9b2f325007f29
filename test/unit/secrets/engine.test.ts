import { describe, expect, it } from 'vitest';
import { type EngineRule, SecretEngine, shannonEntropy } from '../../../src/secrets/engine.js';
import type { AllowlistData } from '../../../src/secrets/rule-data.js';

const p = (source: string, flags = '') => ({ re2: source, source, flags });

function rule(over: Partial<EngineRule> & { id: string }): EngineRule {
  return { description: '', regex: p('tok_([a-z0-9]{8,})'), keywords: ['tok_'], allowlists: [], ...over };
}

function allow(over: Partial<AllowlistData>): AllowlistData {
  return { condition: 'OR', regexTarget: 'secret', regexes: [], paths: [], stopwords: [], ...over };
}

const detect = (engine: SecretEngine, text: string, path = 'app/x.txt') =>
  engine.detect(path, Buffer.from(text)).map((d) => `${d.ruleId}:${d.secret}@${d.line}`);

describe('the rule engine', () => {
  it('runs a rule only where one of its keywords is, case-insensitively', () => {
    // The regex alone would match; without its keyword in the text it never runs.
    const engine = new SecretEngine([rule({ id: 'r', keywords: ['zzz'] })], []);
    expect(detect(engine, 'tok_a1b2c3d4')).toEqual([]);
    expect(detect(engine, 'ZZZ tok_a1b2c3d4')).toEqual(['r:a1b2c3d4@1']);
    // No keywords: always run.
    expect(detect(new SecretEngine([rule({ id: 'r', keywords: [] })], []), 'tok_a1b2c3d4')).toEqual([
      'r:a1b2c3d4@1',
    ]);
  });

  it('takes secretGroup, else the first non-empty group, else the match; newlines trimmed', () => {
    const groups = new SecretEngine(
      [
        rule({ id: 'second', regex: p('(a+)-(b+)'), keywords: [], secretGroup: 2 }),
        rule({ id: 'first', regex: p('(x)?(y+)!'), keywords: [] }),
        rule({ id: 'whole', regex: p('\\nq[0-9]+\\n'), keywords: [] }),
      ],
      [],
    );
    expect(detect(groups, 'aa-bbb yy!\n\nq42\n')).toEqual(['second:bbb@1', 'first:yy@1', 'whole:q42@3']);
  });

  it('computes Shannon entropy as gitleaks does and drops secrets at or under the threshold', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBe(1);
    expect(shannonEntropy('abcd')).toBe(2);
    // Per code point, over the UTF-8 length: é counts once but weighs two bytes.
    expect(shannonEntropy('é')).toBeCloseTo(0.5);
    const engine = new SecretEngine([rule({ id: 'r', entropy: 2 })], []);
    expect(detect(engine, 'tok_abcdabcd')).toEqual([]);
    expect(detect(engine, 'tok_abcdefgh')).toEqual(['r:abcdefgh@1']);
  });

  it('applies allowlists to the secret, the match or the line, and stopwords to the secret', () => {
    const engine = new SecretEngine(
      [
        rule({
          id: 'r',
          allowlists: [
            allow({ regexes: [p('^0+$')] }),
            allow({ regexTarget: 'match', regexes: [p('^tok_test')] }),
            allow({ regexTarget: 'line', regexes: [p('# fixture')] }),
          ],
        }),
      ],
      [allow({ stopwords: ['dead'] })],
    );
    expect(detect(engine, 'tok_00000000')).toEqual([]);
    expect(detect(engine, 'tok_testa1b2c3')).toEqual([]);
    expect(detect(engine, 'x = "tok_a1b2c3d4" # fixture')).toEqual([]);
    expect(detect(engine, 'tok_a1deadb2c3')).toEqual([]);
    expect(detect(engine, 'x = "tok_a1b2c3d4"')).toEqual(['r:a1b2c3d4@1']);
  });

  it('needs every check of an AND allowlist; an OR path allowlist skips the file', () => {
    const and = allow({ condition: 'AND', paths: [p('\\.bb$')], regexTarget: 'line', regexes: [p('^SRC=')] });
    const engine = new SecretEngine(
      [rule({ id: 'r', allowlists: [and] })],
      [allow({ paths: [p('\\.lock$')] })],
    );
    expect(detect(engine, 'SRC=tok_a1b2c3d4', 'meta/recipe.bb')).toEqual([]);
    expect(detect(engine, 'SRC=tok_a1b2c3d4', 'meta/recipe.txt')).toEqual(['r:a1b2c3d4@1']);
    expect(detect(engine, 'X=tok_a1b2c3d4', 'meta/recipe.bb')).toEqual(['r:a1b2c3d4@1']);
    expect(detect(engine, 'tok_a1b2c3d4', 'app/poetry.lock')).toEqual([]);
  });

  it('lets an anyPath rule read globally allowlisted paths, but not its own allowlisted ones', () => {
    const global = [allow({ paths: [p('(?:^|/)node_modules/')] })];
    const mine = allow({ paths: [p('fixtures/')] });
    const engine = new SecretEngine([rule({ id: 'r', anyPath: true, allowlists: [mine] })], global);
    expect(detect(engine, 'tok_a1b2c3d4', 'app/node_modules/x.js')).toEqual(['r:a1b2c3d4@1']);
    expect(detect(engine, 'tok_a1b2c3d4', 'app/fixtures/x.js')).toEqual([]);
    const scoped = new SecretEngine([rule({ id: 'r' })], global);
    expect(detect(scoped, 'tok_a1b2c3d4', 'app/node_modules/x.js')).toEqual([]);
  });

  it('never reports a placeholder', () => {
    const engine = new SecretEngine([rule({ id: 'r', regex: p('key=(\\S+)'), keywords: ['key'] })], []);
    expect(detect(engine, `key=\${API_KEY}\nkey=<your-key>\nkey=s3cr3t`)).toEqual(['r:s3cr3t@3']);
  });

  it('drops a generic finding that a specific rule on the same line contains', () => {
    const engine = new SecretEngine(
      [
        rule({ id: 'generic-thing', regex: p('key = "([^"]+)"'), keywords: ['key'] }),
        rule({ id: 'specific', regex: p('tok_[a-z0-9]{8}'), keywords: ['tok_'] }),
      ],
      [],
    );
    expect(detect(engine, 'key = "tok_a1b2c3d4"')).toEqual(['specific:tok_a1b2c3d4@1']);
    expect(detect(engine, 'key = "other"\ntok_a1b2c3d4')).toEqual([
      'generic-thing:other@1',
      'specific:tok_a1b2c3d4@2',
    ]);
  });

  it('answers path-only rules from the path alone', () => {
    const engine = new SecretEngine(
      [{ id: 'p12', description: '', path: p('\\.p12$'), keywords: [], allowlists: [] }],
      [],
    );
    expect(engine.detectPath('app/c.p12')).toEqual([{ ruleId: 'p12', secret: '', line: 0 }]);
    expect(engine.detectPath('app/c.pem')).toEqual([]);
    expect(detect(engine, 'anything', 'app/c.p12')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { translateRe2, Untranslatable } from '../../../src/secrets/re2.js';

/** The translated pattern, compiled as the engine compiles it. */
const re = (re2: string) => {
  const { source, flags } = translateRe2(re2);
  return new RegExp(source, flags);
};

describe('RE2 to JavaScript', () => {
  it('turns a leading (?i) into the i flag and leaves the rest as written', () => {
    expect(translateRe2('(?i)npm_[a-z0-9]{4}')).toEqual({ source: 'npm_[a-z0-9]{4}', flags: 'i' });
    expect(re('(?i)npm_[a-z0-9]{4}').test('NPM_AB12')).toBe(true);
  });

  it('spells out a scoped (?i:…) letter by letter, classes included', () => {
    expect(translateRe2('hf_(?i:[a-f]x)')).toEqual({ source: 'hf_(?:[a-fA-F][xX])', flags: '' });
    const hf = re('^hf_(?i:[a-z]{3})$');
    expect(hf.test('hf_AbC')).toBe(true);
    expect(hf.test('HF_abc')).toBe(false);
    // Folding comes before negation, as in RE2: (?i)[^a] refuses A too.
    expect(re('^(?i:[^a])$').test('A')).toBe(false);
  });

  it('applies a mid-pattern (?i) to the end of its group, alternatives included', () => {
    const adobe = re('^(p8e-(?i)[a-z]{2})x$');
    expect(adobe.test('p8e-ABx')).toBe(true);
    expect(adobe.test('P8E-abx')).toBe(false);
    expect(adobe.test('p8e-abX')).toBe(false);
    // RE2 keeps the flag across `|`: the second alternative is case-insensitive too.
    expect(re('^(?:a(?i)b|c)$').test('C')).toBe(true);
  });

  it('keeps (?-i:…) exact inside a case-insensitive pattern (no i flag then)', () => {
    const etsy = translateRe2('(?i)key(?-i:API|[Aa]pi)');
    expect(etsy.flags).toBe('');
    const compiled = new RegExp(etsy.source, etsy.flags);
    expect(compiled.test('KEYAPI')).toBe(true);
    expect(compiled.test('kEyApi')).toBe(true);
    expect(compiled.test('keyaPI')).toBe(false);
  });

  it('writes named groups the JavaScript way', () => {
    const { source } = translateRe2('(?P<alg>HS256)\\.(?<typ>JWT)');
    expect(source).toBe('(?<alg>HS256)\\.(?<typ>JWT)');
    expect(new RegExp(source).exec('HS256.JWT')?.groups).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('expands POSIX classes and refuses their negated form', () => {
    expect(translateRe2('[[:alnum:]]')).toEqual({ source: '[0-9A-Za-z]', flags: '' });
    expect(re('^pat[[:alnum:]]{3}$').test('patA1z')).toBe(true);
    expect(re('^[[:alnum:]]$').test('_')).toBe(false);
    expect(re('^[[:punct:]]+$').test('!/:@[`{~')).toBe(true);
    expect(() => translateRe2('[[:^alpha:]]')).toThrow(Untranslatable);
  });

  it('means by \\z, . and ^/$ what RE2 means', () => {
    expect(re('a\\z').test('a\n')).toBe(false);
    expect(re('a\\z').test('ba')).toBe(true);
    // RE2's . stops only at \n; JavaScript's also at \r.
    expect(re('^a.b$').test('a\rb')).toBe(true);
    expect(re('^a.b$').test('a\nb')).toBe(false);
    expect(re('^a(?s:.)b$').test('a\nb')).toBe(true);
    const lines = re('(?m)^x$');
    expect(lines.test('a\nx\nb')).toBe(true);
    expect(lines.test('a\rx')).toBe(false);
  });

  it('reads a ] right after [ or [^ as a member, as RE2 does', () => {
    expect(re('^\\[[^]]+]$').test('[abc]')).toBe(true);
    expect(re('^\\[[^]]+]$').test('[a]c]')).toBe(false);
    expect(re('^[]a]+$').test(']a]')).toBe(true);
  });

  it('handles quoting and escapes JavaScript reads differently', () => {
    expect(re('^\\Q.*+\\E$').test('.*+')).toBe(true);
    expect(re('^\\Q.*+\\E$').test('abc')).toBe(false);
    expect(re('^\\x{41}\\x42$').test('AB')).toBe(true);
    expect(re('^(?i:\\x41)$').test('a')).toBe(true);
    // In JavaScript \a is the letter a; in RE2 it is the bell character.
    expect(re('^\\a$').test('\u0007')).toBe(true);
  });

  it('refuses what has no faithful JavaScript form', () => {
    for (const pattern of ['(?=x)', '\\pL', '\\p{Greek}', '(?U)a+', '(a)\\1', '(?<!x)y', 'a)', '(a']) {
      expect(() => translateRe2(pattern), pattern).toThrow(Untranslatable);
    }
  });
});

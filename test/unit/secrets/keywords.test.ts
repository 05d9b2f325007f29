import { describe, expect, it } from 'vitest';
import { KeywordIndex } from '../../../src/secrets/keywords.js';
import { fake } from './fakes.js';

const found = (index: KeywordIndex, text: string) =>
  [...index.find(Buffer.from(text))].map((i) => index.keywords[i]).sort();

describe('keyword prefilter', () => {
  it('finds overlapping keywords and keywords inside others', () => {
    const index = new KeywordIndex(['he', 'she', 'his', 'hers', 'ey', 'key']);
    expect(found(index, 'ushers')).toEqual(['he', 'hers', 'she']);
    expect(found(index, 'a monkey')).toEqual(['ey', 'key']);
    expect(found(index, 'nothing here? h-e')).toEqual(['he']);
  });

  it('matches ASCII case-insensitively, as gitleaks lower-cases the text', () => {
    const index = new KeywordIndex(['sk_live', 'ghp_', '-----begin']);
    expect(found(index, 'KEY=SK_LIVE_x -----BEGIN RSA')).toEqual(['-----begin', 'sk_live']);
    expect(found(index, 'GHP')).toEqual([]);
  });

  it('agrees with a plain search on random text', () => {
    const words = ['ab', 'abc', 'bca', 'c_', '_a', 'aaa', 'b.c'];
    const index = new KeywordIndex(words);
    for (let n = 0; n < 200; n++) {
      const text = fake('abcABC_.-x', 40);
      const expected = words.filter((w) => text.toLowerCase().includes(w)).sort();
      expect(found(index, text), text).toEqual(expected);
    }
  });

  it('refuses a keyword it could only half match', () => {
    expect(() => new KeywordIndex(['clé'])).toThrow(/keyword/);
    expect(() => new KeywordIndex([''])).toThrow(/keyword/);
  });
});

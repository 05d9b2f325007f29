import { describe, expect, it } from 'vitest';
import { GITLEAKS } from '../../../src/secrets/gitleaks.js';
import { matchStart, splitLeftContext } from '../../../src/secrets/left-context.js';
import { fake } from './fakes.js';

type Found = [number, string, ...(string | undefined)[]];

function original(source: string, flags: string, text: string): Found[] {
  return [...text.matchAll(new RegExp(source, `${flags}g`))].map((m) => [m.index, ...m] as Found);
}

/** The engine's way: the rest of the pattern alone, then the match taken back to the left. */
function split(source: string, flags: string, text: string): Found[] {
  const { source: rest, extend } = splitLeftContext(source);
  const regex = new RegExp(rest, `${flags}g`);
  const out: Found[] = [];
  let from = 0;
  for (let m = regex.exec(text); m !== null; from = regex.lastIndex, m = regex.exec(text)) {
    const start = matchStart(text, m.index, extend, from);
    out.push([start, text.slice(start, m.index + m[0].length), ...m.slice(1)]);
  }
  return out;
}

const rule = (id: string) => GITLEAKS.rules.find((r) => r.id === id)?.regex ?? { source: '', flags: '' };

const pick = <T>(items: readonly T[]): T =>
  items[Number.parseInt(fake('0123456789', 2), 10) % items.length] as T;

// Assignments that each rule matches or nearly matches, run together with noise: identifier
// runs of any length before the keyword (the prefix's up-to-50 characters), near-miss values.
const SHAPES: Record<string, { keywords: string[]; value: () => string }> = {
  'generic-api-key': {
    keywords: ['api_key', 'API', 'token', 'passwd', 'Secret'],
    value: () => fake('abcXYZ0189_.=-', 8 + Number(fake('0123456789', 1)) * 2),
  },
  'cohere-api-token': {
    keywords: ['cohere', 'CO_API_KEY', 'COHERE'],
    value: () => fake('aZ09bY', pick([39, 40, 40, 41])),
  },
  'lob-api-key': {
    keywords: ['lob', 'LOB'],
    value: () => `${pick(['live', 'test', 'prod'])}_${fake('0123456789abcdef', pick([34, 35, 35]))}`,
  },
};

function text(id: string): string {
  const shape = SHAPES[id] as (typeof SHAPES)[string];
  let out = '';
  for (let i = 0; i < 4; i++) {
    out += pick(['', ' ', '\n', 'x = 1\n', '(', '"']);
    out += fake('abc_.-XY9', pick([0, 3, 20, 49, 50, 51, 60]));
    out += `${pick(shape.keywords)}${pick(['', '_KEY', '.x', ' '])}${pick([' = ', '=', ': ', '="', ' => ', ' '])}`;
    out += `${shape.value()}${pick(['"', '\n', ' ', ';', '', "'"])}`;
  }
  return out;
}

describe('the left-context prefix split', () => {
  it('strips the prefix of an assignment rule, and the doubled one some rules have', () => {
    expect(splitLeftContext(rule('generic-api-key').source).extend).toBe(50);
    expect(splitLeftContext(rule('cohere-api-token').source).extend).toBe(100);
    // A top-level alternative would lose its own start: left as it is.
    expect(splitLeftContext(rule('atlassian-api-token').source)).toEqual({
      source: rule('atlassian-api-token').source,
      extend: 0,
    });
    expect(splitLeftContext('[\\w.\\-]{0,50}?(?:[\\w.\\-]{0,50}?a|b)c').extend).toBe(50);
    expect(splitLeftContext('[\\w.\\-]{0,50}?(?:[\\w.\\-]{0,50}?a)?c').extend).toBe(50);
  });

  it.each(['generic-api-key', 'cohere-api-token', 'lob-api-key'])(
    'finds what the whole %s pattern finds',
    (id) => {
      const { source, flags } = rule(id);
      let matched = 0;
      for (let n = 0; n < 300; n++) {
        const sample = text(id);
        const expected = original(source, flags, sample);
        matched += expected.length;
        expect(split(source, flags, sample), JSON.stringify(sample)).toEqual(expected);
      }
      // The samples must exercise matches, or the comparison proves nothing.
      expect(matched).toBeGreaterThan(100);
    },
  );

  it('never takes the match back past where the search began', () => {
    expect(matchStart('abc_def', 4, 50, 2)).toBe(2);
    expect(matchStart('a b_def', 4, 50, 0)).toBe(2);
    expect(matchStart('x'.repeat(80), 70, 50, 0)).toBe(20);
  });
});

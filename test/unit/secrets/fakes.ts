/**
 * Fake credentials for the secret tests, built at run time: nothing credential-shaped is
 * committed, and the values are random-looking (so they clear the rules' entropy thresholds the
 * way real tokens do) but come from a fixed seed, so a failure is reproducible. None is live.
 */
import type { ImageFile } from '../../../src/scan/layers.js';
import { SecretScanner } from '../../../src/scan/secrets/index.js';
import { GITLEAKS } from '../../../src/secrets/gitleaks.js';

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const DIGITS = '0123456789';
export const HEX = '0123456789abcdef';
export const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** mulberry32: a small deterministic PRNG; one stream per call site via the seed. */
function stream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let next = 1;

/** `n` characters drawn from `alphabet`; each call continues a new seeded stream. */
export function fake(alphabet: string, n: number, seed = next++): string {
  const random = stream(seed * 2654435761);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

export const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** One file through the layer walker's scanner, as a layer would hand it over. */
export function scanFile(path: string, content: string | Buffer, layer = 0): SecretScanner {
  const scanner = new SecretScanner();
  const file: ImageFile = {
    path,
    type: 'file',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: content.length,
    linkname: '',
    layer,
  };
  scanner.onFile(file, Buffer.from(content));
  return scanner;
}

/**
 * Like `fake`, but never containing one of `words` (case-insensitively): gitleaks' generic rule
 * has some 1,500 stopwords (`md5`, `java`, …) that a random value hits now and then.
 */
export function fakeWithout(words: readonly string[], alphabet: string, n: number): string {
  for (;;) {
    const value = fake(alphabet, n);
    if (!words.some((w) => value.toLowerCase().includes(w))) return value;
  }
}

const stopwords =
  GITLEAKS.rules.find((r) => r.id === 'generic-api-key')?.allowlists.flatMap((a) => a.stopwords) ?? [];

/** A value gitleaks' generic rule reports after `api_key = `: random, free of its stopwords. */
export const genericValue = () => fakeWithout(stopwords, ALNUM, 32);

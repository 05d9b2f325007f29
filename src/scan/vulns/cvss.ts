/**
 * CVSS base scores from vector strings, per the FIRST specifications: v3.0 and v3.1 (which
 * differ only in how they round up) and v2. CVSS v4 scores come from a large lookup of
 * "macro vectors" rather than a formula; records that carry only a v4 vector are rated from
 * their database severity instead (see severity.ts).
 */

export type CvssVersion = '2.0' | '3.0' | '3.1';

export interface CvssScore {
  readonly version: CvssVersion;
  readonly vector: string;
  readonly score: number;
}

const V3 = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** Privileges Required weighs more when the scope changes. */
const PR = { U: { N: 0.85, L: 0.62, H: 0.27 }, C: { N: 0.85, L: 0.68, H: 0.5 } } as const;

function metrics(parts: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const part of parts) {
    const [key, value] = part.split(':');
    if (key && value) values[key] = value;
  }
  return values;
}

function pick<T extends Record<string, number>>(table: T, key: string | undefined): number | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key as keyof T] : undefined;
}

/** v3.1 Roundup: the smallest one-decimal number >= x, computed in integers to dodge float error. */
function roundUp31(x: number): number {
  const scaled = Math.round(x * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}

function roundUp30(x: number): number {
  return Math.ceil(x * 10) / 10;
}

function scoreV3(vector: string, version: '3.0' | '3.1'): number | undefined {
  const m = metrics(vector.split('/').slice(1));
  const scope = m.S === 'C' ? 'C' : m.S === 'U' ? 'U' : undefined;
  const av = pick(V3.AV, m.AV);
  const ac = pick(V3.AC, m.AC);
  const ui = pick(V3.UI, m.UI);
  const c = pick(V3.CIA, m.C);
  const i = pick(V3.CIA, m.I);
  const a = pick(V3.CIA, m.A);
  const pr = scope ? pick(PR[scope], m.PR) : undefined;
  if (!scope || av === undefined || ac === undefined || ui === undefined || pr === undefined)
    return undefined;
  if (c === undefined || i === undefined || a === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const roundUp = version === '3.1' ? roundUp31 : roundUp30;
  const raw = scope === 'U' ? impact + exploitability : 1.08 * (impact + exploitability);
  return roundUp(Math.min(raw, 10));
}

const V2 = {
  AV: { L: 0.395, A: 0.646, N: 1 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  CIA: { N: 0, P: 0.275, C: 0.66 },
} as const;

function scoreV2(vector: string): number | undefined {
  const m = metrics(vector.replace(/^\(|\)$/g, '').split('/'));
  const av = pick(V2.AV, m.AV);
  const ac = pick(V2.AC, m.AC);
  const au = pick(V2.Au, m.Au);
  const c = pick(V2.CIA, m.C);
  const i = pick(V2.CIA, m.I);
  const a = pick(V2.CIA, m.A);
  if (av === undefined || ac === undefined || au === undefined) return undefined;
  if (c === undefined || i === undefined || a === undefined) return undefined;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const f = impact === 0 ? 0 : 1.176;
  return Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
}

/** The base score of a CVSS v2/v3.x vector; undefined for v4 or a vector that does not parse. */
export function cvssScore(vector: string): CvssScore | undefined {
  const trimmed = vector.trim();
  const v3 = /^CVSS:(3\.[01])\//.exec(trimmed);
  if (v3?.[1]) {
    const version = v3[1] as '3.0' | '3.1';
    const score = scoreV3(trimmed, version);
    return score === undefined ? undefined : { version, vector: trimmed, score };
  }
  if (/^\(?AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(trimmed)) {
    const score = scoreV2(trimmed);
    return score === undefined ? undefined : { version: '2.0', vector: trimmed, score };
  }
  return undefined;
}

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import { cachedOsvData, describeAge, updateOsvData } from '../../../src/scan/vulns/update.js';

// A loopback stand-in for OSV's bucket: each path answers what the test put there.
const served = new Map<string, { status: number; body: Buffer }>();
let server: Server;
let mirror = '';
const dirs: string[] = [];

function osvZip(ids: readonly string[]): Buffer {
  const files = Object.fromEntries(
    ids.map((id) => [`${id}.json`, strToU8(JSON.stringify({ id, modified: '2026-11-01T00:00:00Z' }))]),
  );
  return Buffer.from(zipSync(files));
}

function cache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-osv-cache-'));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const hit = served.get(decodeURIComponent(request.url ?? ''));
    response.writeHead(hit?.status ?? 404);
    response.end(hit?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  served.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('slipway scan --update-db: OSV exports into a cache', () => {
  it('fetches each ecosystem the image needs and records what it got', async () => {
    served.set('/PyPI/all.zip', { status: 200, body: osvZip(['PYSEC-1', 'GHSA-2', 'GHSA-3']) });
    served.set('/Debian:13/all.zip', { status: 200, body: osvZip(['DSA-1']) });
    const dir = cache();
    const entries = await updateOsvData({ ecosystems: ['PyPI', 'Debian:13'], mirror, cacheDir: dir });
    expect(entries.map((e) => [e.ecosystem, e.records])).toEqual([
      ['PyPI', 3],
      ['Debian:13', 1],
    ]);
    expect(readdirSync(dir).sort()).toEqual(['Debian_13', 'PyPI']);
    const cached = await cachedOsvData(dir);
    expect(cached.map((c) => c.ecosystem).sort()).toEqual(['Debian:13', 'PyPI']);
    expect(cached.every((c) => !c.stale && existsSync(c.archive))).toBe(true);
  });

  it('keeps the old data whole when a download is broken, and leaves no partial file', async () => {
    const dir = cache();
    served.set('/PyPI/all.zip', { status: 200, body: osvZip(['PYSEC-1', 'PYSEC-2']) });
    await updateOsvData({ ecosystems: ['PyPI'], mirror, cacheDir: dir });
    const before = readFileSync(join(dir, 'PyPI', 'all.zip'));

    const whole = osvZip(['PYSEC-1', 'PYSEC-2', 'PYSEC-3']);
    served.set('/PyPI/all.zip', { status: 200, body: whole.subarray(0, Math.floor(whole.length / 2)) });
    const error = await updateOsvData({ ecosystems: ['PyPI'], mirror, cacheDir: dir }).catch((e) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect(error.message).toMatch(/not a whole zip archive/);
    expect(error.fix).toMatch(/cached data was kept/);
    expect(readFileSync(join(dir, 'PyPI', 'all.zip')).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'PyPI')).sort()).toEqual(['all.zip', 'meta.json']);
    expect((await cachedOsvData(dir))[0]?.records).toBe(2);
  });

  it('names the URL and the status when the mirror refuses, and keeps the old data', async () => {
    const dir = cache();
    served.set('/PyPI/all.zip', { status: 200, body: osvZip(['PYSEC-1']) });
    await updateOsvData({ ecosystems: ['PyPI'], mirror, cacheDir: dir });
    served.set('/PyPI/all.zip', { status: 503, body: Buffer.from('busy') });
    await expect(updateOsvData({ ecosystems: ['PyPI'], mirror, cacheDir: dir })).rejects.toThrow(
      `could not fetch OSV data from ${mirror}/PyPI/all.zip: HTTP 503`,
    );
    expect((await cachedOsvData(dir))[0]?.records).toBe(1);
  });

  it('refuses an archive that holds no OSV records', async () => {
    served.set('/PyPI/all.zip', { status: 200, body: Buffer.from(zipSync({ 'README.txt': strToU8('hi') })) });
    await expect(updateOsvData({ ecosystems: ['PyPI'], mirror, cacheDir: cache() })).rejects.toThrow(
      /holds no records/,
    );
  });

  it('says how old the data is, and warns past 7 days', async () => {
    const dir = cache();
    served.set('/PyPI/all.zip', { status: 200, body: osvZip(['PYSEC-1']) });
    await updateOsvData({ ecosystems: ['PyPI'], mirror, cacheDir: dir });
    const [fresh] = await cachedOsvData(dir, Date.now() + 2 * 86_400_000);
    expect(fresh && describeAge(fresh)).toMatch(/^PyPI: fetched 2\.0 days ago \(1 records\)$/);
    const [old] = await cachedOsvData(dir, Date.now() + 9 * 86_400_000);
    expect(old?.stale).toBe(true);
    expect(old && describeAge(old)).toMatch(/older than 7 days: run slipway scan --update-db$/);
  });

  it('ignores a cache folder without its metadata', async () => {
    const dir = cache();
    writeFileSync(join(dir, 'stray'), 'x');
    expect(await cachedOsvData(dir)).toEqual([]);
    expect(await cachedOsvData(join(dir, 'missing'))).toEqual([]);
  });
});

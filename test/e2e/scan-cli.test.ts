import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

// slipway scan through the built CLI with fresh vulnerability data: --update-db fetches OSV
// exports from a mirror (a loopback stand-in for OSV's bucket serving the fixture records), every
// scan after it uses the cache and says how old it is; a bad VEX document is a usage error.
const image = 'inventory-api:0.1.0';
const osvDir = join(repoRoot, 'test', 'fixtures', 'scan', 'osv');
let server: Server;
let mirror = '';
let cache = '';

beforeAll(async () => {
  const engine = await realEngine();
  if (!(await engine.inspectImage(image))) {
    const built = await runCli(['build', 'examples/backend']);
    expect(built.code, built.stderr).toBe(0);
  }
  const records = Object.fromEntries(
    readdirSync(osvDir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => [name, new Uint8Array(readFileSync(join(osvDir, name)))]),
  );
  const archive = Buffer.from(zipSync(records));
  server = createServer((request, response) => {
    const known = request.url === '/PyPI/all.zip' || request.url === '/Debian%3A13/all.zip';
    response.writeHead(known ? 200 : 404);
    response.end(known ? archive : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cache = mkdtempSync(join(tmpdir(), 'slipway-osv-xdg-'));
}, 300_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(cache, { recursive: true, force: true });
});

describe('slipway scan (CLI) with fresh OSV data', () => {
  const env = () => ({ ...process.env, XDG_CACHE_HOME: cache });

  it('fetches the exports with --update-db, then matches with them and says their age', async () => {
    const updated = await runCli(['scan', image, '--update-db', '--osv-mirror', mirror, '--format', 'json'], {
      env: env(),
    });
    expect(updated.code, updated.stderr).toBeLessThan(2);
    expect(updated.stderr).toContain(`osv: fetching ${mirror}/PyPI/all.zip`);
    expect(updated.stderr).toMatch(/^OSV data Debian:13: fetched 0 h ago \(\d+ records\)$/m);
    const report = JSON.parse(updated.stdout) as { stats: { osvRecords?: number } };
    expect(report.stats.osvRecords).toBeGreaterThan(0);

    // A later scan, without --update-db or --osv, uses the cache.
    const later = await runCli(['scan', image, '--format', 'json'], { env: env() });
    expect(later.stderr).toMatch(/^OSV data PyPI: fetched 0 h ago/m);
    expect((JSON.parse(later.stdout) as { stats: { osvRecords?: number } }).stats.osvRecords).toBe(
      report.stats.osvRecords,
    );
  });

  it('exits 2 naming the cause when the mirror has no such export, and keeps the cache', async () => {
    const refused = await runCli(['scan', image, '--update-db', 'Debian:99', '--osv-mirror', mirror], {
      env: env(),
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`could not fetch OSV data from ${mirror}/Debian%3A99/all.zip: HTTP 404`);
    expect(readdirSync(join(cache, 'slipway', 'osv')).sort()).toEqual(['Debian_13', 'PyPI']);
  });

  it('exits 2 on a malformed VEX document, before reading the image', async () => {
    const bad = join(repoRoot, 'test', 'fixtures', 'scan', 'vex', 'openvex-bad-status.json');
    const result = await runCli(['scan', image, '--vex', bad], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/openvex-bad-status\.json/);
  });
});

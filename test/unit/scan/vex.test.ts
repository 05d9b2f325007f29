import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { toSarif } from '../../../src/report/sarif.js';
import { renderScanSummary } from '../../../src/report/scan.js';
import { type ScanReport, scanArchive } from '../../../src/scan/index.js';
import { repoRoot } from '../../helpers/cli.js';
import { tar } from './tar-writer.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'scan');
const osv = join(fixtures, 'osv');
const vex = (name: string) => join(fixtures, 'vex', name);
const SITE = 'app/.venv/lib/python3.13/site-packages';
const meta = (name: string, version: string) => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`;

function image(): Buffer {
  const layer = tar([
    { path: 'usr/lib/os-release', content: 'ID=debian\nVERSION_ID="13"\n' },
    {
      path: 'var/lib/dpkg/status',
      content:
        'Package: libexpat1\nStatus: install ok installed\nArchitecture: amd64\nSource: expat\nVersion: 2.7.1-2\n',
    },
    { path: `${SITE}/h11-0.14.0.dist-info/METADATA`, content: meta('h11', '0.14.0') },
    { path: `${SITE}/starlette-0.27.0.dist-info/METADATA`, content: meta('starlette', '0.27.0') },
  ]);
  return tar([
    { path: 'c.json', content: JSON.stringify({ config: { User: '10001' } }) },
    { path: 'l/layer.tar', content: layer },
    { path: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', Layers: ['l/layer.tar'] }]) },
  ]);
}

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-vex-unit-'));
  file = join(dir, 'image.tar');
  await writeFile(file, image());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const vuln = (report: ScanReport, id: string) => report.findings.find((r) => r.id === `scan.vuln.${id}`);

describe('VEX documents', () => {
  it('without VEX, the fixture records fail on h11, starlette and libexpat1', async () => {
    const report = await scanArchive(file, { ref: 'app:1', osv });
    for (const id of ['GHSA-vqfr-h8mv-ghfj', 'GHSA-f96h-pmfr-66vw', 'DEBIAN-CVE-2026-56410']) {
      expect(vuln(report, id)?.status).toBe('fail');
      expect(vuln(report, id)?.suppressed).toBeUndefined();
    }
    expect(report.vex).toEqual([]);
  });

  it('OpenVEX: not_affected by an alias suppresses the finding with its justification; under_investigation does not', async () => {
    const report = await scanArchive(file, { ref: 'app:1', osv, vex: [vex('openvex.json')] });
    const h11 = vuln(report, 'GHSA-vqfr-h8mv-ghfj');
    expect(h11?.suppressed?.reason).toBe(
      `VEX not_affected (vulnerable_code_not_in_execute_path: the app sits behind a proxy that rejects malformed chunked bodies), ${vex('openvex.json')}`,
    );
    // The statement names the image, with starlette as the subcomponent it is about.
    const starlette = vuln(report, 'GHSA-f96h-pmfr-66vw');
    expect(starlette?.suppressed).toBeUndefined();
    expect(starlette?.evidence).toContain(`vex: VEX under_investigation, ${vex('openvex.json')}`);
    // A statement about another package says nothing about libexpat1.
    expect(vuln(report, 'DEBIAN-CVE-2026-56410')?.suppressed).toBeUndefined();
    expect(report.vex.map((d) => `${d.id} ${d.status}`).sort()).toEqual([
      'GHSA-f96h-pmfr-66vw under_investigation',
      'GHSA-vqfr-h8mv-ghfj not_affected',
    ]);
    expect(report.failed).toBe(true);
    expect(renderScanSummary(report)).toMatch(
      /GHSA-vqfr-h8mv-ghfj +h11 +0\.14\.0 +0\.16\.0 +critical \(VEX not affected\)/,
    );
  });

  it('CycloneDX VEX: a resolved analysis on a BOM-Link ref marks the Debian finding fixed', async () => {
    const report = await scanArchive(file, { ref: 'app:1', osv, vex: [vex('cyclonedx-vex.json')] });
    expect(vuln(report, 'DEBIAN-CVE-2026-56410')?.suppressed?.reason).toBe(
      `VEX fixed (the base image carries the patched expat), ${vex('cyclonedx-vex.json')}`,
    );
    expect(report.vex).toContainEqual(
      expect.objectContaining({ id: 'DEBIAN-CVE-2026-56410', status: 'fixed' }),
    );
    expect(vuln(report, 'GHSA-vqfr-h8mv-ghfj')?.suppressed).toBeUndefined();
  });

  it('carries the VEX decision into SARIF as an external suppression', async () => {
    const report = await scanArchive(file, {
      ref: 'app:1',
      osv,
      vex: [vex('openvex.json'), vex('cyclonedx-vex.json')],
    });
    const sarif = toSarif(report.findings, [], { toolVersion: '0' }) as {
      runs: { results: { ruleId: string; suppressions?: { kind: string; justification: string }[] }[] }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    const suppressed = (id: string) => results.find((r) => r.ruleId === `scan.vuln.${id}`)?.suppressions;
    expect(suppressed('GHSA-vqfr-h8mv-ghfj')?.[0]).toMatchObject({ kind: 'external' });
    expect(suppressed('GHSA-vqfr-h8mv-ghfj')?.[0]?.justification).toMatch(/^VEX not_affected/);
    expect(suppressed('DEBIAN-CVE-2026-56410')?.[0]?.justification).toMatch(/^VEX fixed/);
    expect(suppressed('GHSA-f96h-pmfr-66vw')).toBeUndefined();
  });

  it.each([
    ['openvex-bad-status.json', /^VEX file .*openvex-bad-status\.json: statements\.0\.status: /],
    ['truncated.json', /^VEX file .*truncated\.json is not JSON: /],
    ['neither.json', /is neither an OpenVEX document .* nor a CycloneDX BOM$/],
    ['missing.json', /^VEX file .*missing\.json cannot be read$/],
  ])('refuses %s as a usage error (exit 2) before reading the image', async (name, message) => {
    const error = await scanArchive(join(dir, 'no-such-image.tar'), { ref: 'app:1', vex: [vex(name)] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });
});

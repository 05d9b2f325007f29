import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderScanSummary } from '../../../src/report/scan.js';
import { parseFailOn, scanArchive, toSpdx } from '../../../src/scan/index.js';
import { repoRoot } from '../../helpers/cli.js';
import { type TarEntry, tar } from './tar-writer.js';

const osv = join(repoRoot, 'test', 'fixtures', 'scan', 'osv');

function archive(user: string, layer: TarEntry[], env: string[] = []): Buffer {
  const config = { config: { User: user, Env: env }, history: [{ created_by: 'COPY . /' }] };
  return tar([
    { path: 'c.json', content: JSON.stringify(config) },
    { path: 'l/layer.tar', content: tar(layer) },
    { path: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', Layers: ['l/layer.tar'] }]) },
  ]);
}

const METADATA = (name: string, version: string, license: string) =>
  `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n${license}\n`;
const SITE = 'app/.venv/lib/python3.13/site-packages';
const PACKAGES: TarEntry[] = [
  {
    path: 'usr/lib/os-release',
    content: 'ID=debian\nVERSION_ID="13"\nPRETTY_NAME="Debian GNU/Linux 13 (trixie)"\n',
  },
  {
    path: 'var/lib/dpkg/status',
    content:
      'Package: libexpat1\nStatus: install ok installed\nArchitecture: amd64\nSource: expat\nVersion: 2.7.1-2\n',
  },
  {
    path: `${SITE}/starlette-0.27.0.dist-info/METADATA`,
    content: METADATA('starlette', '0.27.0', 'License-Expression: BSD-3-Clause'),
  },
  { path: `${SITE}/h11-0.14.0.dist-info/METADATA`, content: METADATA('h11', '0.14.0', 'License: MIT') },
  {
    path: `${SITE}/odd-1.0.dist-info/METADATA`,
    content: METADATA('odd', '1.0', 'Classifier: License :: OSI Approved :: BSD License'),
  },
];

describe('scan report from an archive', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-scan-report-'));
    file = join(dir, 'image.tar');
    await writeFile(file, archive('', PACKAGES, ['API_TOKEN=abcd1234efgh', 'PATH=/usr/bin']));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds a CycloneDX 1.6 SBOM the library validator accepts, with purls and licenses', async () => {
    const report = await scanArchive(file, { ref: 'registry.example/app:1.2.3' });
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    expect(await validator.validate(JSON.stringify(report.sbom))).toBeNull();
    expect(report.sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    const metadata = report.sbom.metadata as { component: { type: string; name: string; version: string } };
    expect(metadata.component).toMatchObject({
      type: 'container',
      name: 'registry.example/app',
      version: '1.2.3',
    });
    const components = report.sbom.components as { name: string; purl?: string; licenses?: unknown[] }[];
    expect(components.find((c) => c.name === 'debian')).toMatchObject({
      type: 'operating-system',
      version: '13',
    });
    expect(components.find((c) => c.name === 'libexpat1')?.purl).toBe(
      'pkg:deb/debian/libexpat1@2.7.1-2?arch=amd64&distro=debian-13',
    );
    expect(components.find((c) => c.name === 'starlette')?.licenses).toEqual([
      { license: { id: 'BSD-3-Clause' } },
    ]);
    expect(components.find((c) => c.name === 'odd')?.licenses).toEqual([
      { license: { name: 'BSD License' } },
    ]);
  });

  it('writes SPDX 2.3 with every required document and package field', async () => {
    const spdx = toSpdx(await scanArchive(file, { ref: 'app:1' }));
    expect(spdx).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'app:1',
    });
    expect(spdx.documentNamespace).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/slipway\/app-[0-9a-f-]{36}$/);
    expect((spdx.creationInfo as { created: string }).created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const packages = spdx.packages as Record<string, unknown>[];
    for (const pkg of packages) {
      for (const field of [
        'name',
        'SPDXID',
        'downloadLocation',
        'filesAnalyzed',
        'licenseConcluded',
        'licenseDeclared',
        'copyrightText',
      ]) {
        expect(pkg, `${pkg.name} ${field}`).toHaveProperty(field);
      }
      expect(pkg.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
    }
    expect(packages.find((p) => p.name === 'starlette')?.licenseDeclared).toBe('BSD-3-Clause');
    expect(packages.find((p) => p.name === 'odd')?.licenseDeclared).toBe('NOASSERTION');
    const relationships = spdx.relationships as { relationshipType: string }[];
    expect(relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(packages.length - 1);
  });

  it('fails at the --fail-on threshold, not below it', async () => {
    const critical = await scanArchive(file, { ref: 'app:1', osv, failOn: 'critical' });
    expect(critical.vulnerabilities.map((v) => v.id)).toContain('GHSA-vqfr-h8mv-ghfj');
    expect(critical.failed).toBe(true);
    const clean = join(dir, 'clean.tar');
    await writeFile(clean, archive('10001', PACKAGES.slice(0, 3)));
    expect((await scanArchive(clean, { ref: 'app:1', osv, failOn: 'critical' })).failed).toBe(false);
    expect((await scanArchive(clean, { ref: 'app:1', osv, failOn: 'high' })).failed).toBe(true);
    expect(() => parseFailOn('severe')).toThrow(
      /--fail-on must be one of unknown, low, medium, high, critical/,
    );
  });

  it('applies the ignore file by id or alias, and reports expired entries', async () => {
    const ignore = join(dir, 'ignore.yaml');
    await writeFile(
      ignore,
      [
        'ignore:',
        '  - id: CVE-2025-43859',
        '    reason: h11 sits behind a proxy that rejects malformed chunks',
        '    expires: 2999-01-01',
        '  - id: GHSA-f96h-pmfr-66vw',
        '    reason: accepted last year',
        '    expires: 2000-01-01',
        '  - id: scan.hardening.root-user',
        '    reason: test image',
      ].join('\n'),
    );
    const report = await scanArchive(file, { ref: 'app:1', osv, ignoreFile: ignore });
    const byId = new Map(report.findings.map((r) => [r.id, r]));
    expect(byId.get('scan.vuln.GHSA-vqfr-h8mv-ghfj')?.suppressed?.reason).toMatch(/behind a proxy/);
    expect(byId.get('scan.hardening.root-user')?.suppressed).toBeDefined();
    expect(byId.get('scan.vuln.GHSA-f96h-pmfr-66vw')?.suppressed).toBeUndefined();
    expect(byId.get('scan.ignore.expired')?.message).toBe(
      'the ignore entry for GHSA-f96h-pmfr-66vw expired on 2000-01-01 and no longer applies',
    );
    await writeFile(ignore, 'ignore:\n  - id: X\n');
    await expect(scanArchive(file, { ref: 'app:1', ignoreFile: ignore })).rejects.toThrow(
      /ignore\.0\.reason/,
    );
  });

  it('suppresses vulnerabilities without a fix only when asked', async () => {
    const unfixed = join(dir, 'osv-unfixed');
    await (await import('node:fs/promises')).mkdir(unfixed);
    const record = {
      id: 'TEST-UNFIXED-1',
      affected: [{ package: { ecosystem: 'PyPI', name: 'odd' }, versions: ['1.0'] }],
    };
    await writeFile(join(unfixed, 'r.json'), JSON.stringify(record));
    const shown = await scanArchive(file, { ref: 'app:1', osv: unfixed });
    expect(shown.findings.find((r) => r.id === 'scan.vuln.TEST-UNFIXED-1')?.suppressed).toBeUndefined();
    const hidden = await scanArchive(file, { ref: 'app:1', osv: unfixed, ignoreUnfixed: true });
    expect(hidden.findings.find((r) => r.id === 'scan.vuln.TEST-UNFIXED-1')?.suppressed?.reason).toMatch(
      /--ignore-unfixed/,
    );
  });

  it('renders the summary: packages by type, findings by severity, the vulnerability table', async () => {
    const text = renderScanSummary(await scanArchive(file, { ref: 'app:1', osv }));
    expect(text).toContain('app:1: Debian GNU/Linux 13 (trixie), 1 layers, user root (no USER)');
    expect(text).toContain('Packages: 4 (1 deb, 3 python)');
    expect(text).toContain('Findings: critical 1, high 3, medium 2, low 1, unknown 0');
    expect(text).toMatch(/ID +PACKAGE +INSTALLED +FIXED +SEVERITY +ALIASES/);
    expect(text).toMatch(/GHSA-vqfr-h8mv-ghfj +h11 +0\.14\.0 +0\.16\.0 +critical +CVE-2025-43859/);
    expect(text).toMatch(/DEBIAN-CVE-2026-56410 +libexpat1 +2\.7\.1-2 +2\.8\.2-1~deb13u1 +medium/);
    expect(text).toContain('FAIL    scan.hardening.secret-env [high]: the image config sets API_TOKEN');
    expect(text).not.toContain('abcd1234efgh');
    expect(text.trimEnd().endsWith('FAILED: findings at or above high')).toBe(true);
  });
});

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { renderScanSummary } from '../../src/report/scan.js';
import { forgetSavedImages } from '../../src/scan/image.js';
import { type ScanReport, scanImage } from '../../src/scan/index.js';
import { repoRoot } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';
import { tar } from '../unit/scan/tar-writer.js';

// Three small images built here, FROM scratch: old package records matched by real OSV records;
// secrets added in one layer and deleted in the next; setuid and other hardening failures.
const fixtures = join(repoRoot, 'test', 'fixtures', 'scan');
const tag = (name: string) => `slipway-test/${name}:${process.pid}`;
const alnum = (length: number) =>
  Array.from(
    randomBytes(length),
    (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62],
  ).join('');

async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

// The archives kept for a second read: a vitest worker may end without the 'exit' that removes them.
afterAll(() => forgetSavedImages());

describe('slipway scan on fixture images', () => {
  let engine: ContainerEngine;
  let work: string;
  const built: string[] = [];
  // Secret values exist only for this run: nothing that looks like a credential is committed.
  const secrets = {
    key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }),
    github: `ghp_${alnum(36)}`,
    npm: `npm_${alnum(36)}`,
    envPassword: alnum(24),
  };

  async function build(
    name: string,
    dockerfile: string,
    files: Record<string, string | Buffer> = {},
    context?: string,
  ) {
    const dir = context ?? join(work, name);
    await writeTree(dir, files);
    await writeFile(join(work, `${name}.Dockerfile`), dockerfile);
    await engine.build({ context: dir, dockerfile: join(work, `${name}.Dockerfile`), tags: [tag(name)] });
    built.push(tag(name));
  }

  beforeAll(async () => {
    engine = await realEngine();
    work = await mkdtemp(join(tmpdir(), 'slipway-scan-e2e-'));
    const packages = join(fixtures, 'images', 'packages');
    await build('scan-packages', await readFile(join(packages, 'Dockerfile'), 'utf8'), {}, packages);
    await build(
      'scan-secrets',
      [
        'FROM python:3.13-slim AS tools',
        'FROM scratch',
        // rm and what it needs to run, so that a RUN can delete files in a FROM scratch image.
        'COPY --from=tools /usr/lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/libc.so.6',
        'COPY --from=tools /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2',
        'COPY --from=tools /usr/bin/rm /bin/rm',
        'COPY root/ /root/',
        'COPY app/ /app/',
        'RUN ["/bin/rm", "-r", "/root/.ssh", "/root/.npmrc", "/root/notes"]',
        'USER 10001:10001',
        'HEALTHCHECK CMD ["/app/healthcheck"]',
      ].join('\n'),
      {
        'root/.ssh/id_rsa': secrets.key,
        'root/.npmrc': `//registry.npmjs.org/:_authToken=${secrets.npm}\n`,
        'root/notes/tokens.txt': `deploy with ${secrets.github}\n`,
        'app/.env': `DEBUG=false\nDATABASE_PASSWORD=${secrets.envPassword}\n`,
        // Look-alikes that are not secrets: documented names, a format name in code, a test key.
        'app/.env.example': 'DATABASE_PASSWORD=change-me\n',
        'app/ssl_names.py': 'PEM_HEADER = "-----BEGIN PRIVATE KEY-----"\n',
        'app/.venv/lib/python3.13/site-packages/tornado/test/test.key': secrets.key,
        'app/project/.git/HEAD': 'ref: refs/heads/main\n',
      },
    );
    await build(
      'scan-setuid',
      [
        'FROM scratch',
        // COPY --chmod drops the setuid/setgid bits; an ADDed tar keeps its modes.
        'ADD modes.tar /',
        'COPY --chmod=0666 tool /app/shared.txt',
        'COPY lists/ /var/lib/apt/lists/',
        'COPY pip/ /root/.cache/pip/',
        `ENV DATABASE_PASSWORD=${secrets.envPassword} LOG_LEVEL=info`,
      ].join('\n'),
      {
        tool: '#!/bin/sh\n',
        'modes.tar': tar([
          { path: 'usr/local/bin', type: 'dir' },
          { path: 'usr/local/bin/su-tool', mode: 0o4755, content: '#!/bin/sh\n' },
          { path: 'usr/local/bin/sg-tool', mode: 0o2755, gid: 42, content: '#!/bin/sh\n' },
        ]),
        'lists/deb.debian.org_debian_dists_trixie_main_binary-amd64_Packages': 'Package: bash\n',
        'lists/lock': '',
        'pip/http-v2/0/1/entry': 'cached wheel\n',
      },
    );
  });

  afterAll(async () => {
    if (engine) await engine.removeImages(built);
    if (work) await rm(work, { recursive: true, force: true });
  });

  describe('package records and OSV matching', () => {
    let report: ScanReport;
    beforeAll(async () => {
      report = await scanImage({
        engine,
        image: tag('scan-packages'),
        osv: join(fixtures, 'osv'),
        failOn: 'critical',
      });
    });

    it('catalogs dpkg status, status.d and Python metadata with sources, licenses and paths', () => {
      const byName = new Map(report.packages.map((p) => [p.name, p]));
      expect([...byName.keys()].sort()).toEqual(
        ['bash', 'h11', 'idna', 'libexpat1', 'login', 'starlette', 'typing-extensions', 'tzdata'].sort(),
      );
      expect(byName.get('libexpat1')).toMatchObject({
        source: { name: 'expat', version: '2.7.1-2' },
        architecture: 'amd64',
        purl: 'pkg:deb/debian/libexpat1@2.7.1-2?arch=amd64&distro=debian-13',
        paths: ['usr/lib/x86_64-linux-gnu/libexpat.so.1.10.2'],
        location: '/var/lib/dpkg/status',
        // From its DEP-5 copyright file; bash and login have none in this image.
        licenses: ['MIT'],
        cpes: ['cpe:2.3:a:libexpat1:libexpat1:2.7.1-2:*:*:*:*:*:*:*'],
      });
      expect(byName.get('bash')?.licenses).toEqual([]);
      expect(report.packages.filter((p) => p.cpes.length === 0)).toEqual([]);
      expect(byName.get('bash')?.source).toEqual({ name: 'bash', version: '5.2.37-2' });
      expect(byName.get('tzdata')).toMatchObject({
        location: '/var/lib/dpkg/status.d/tzdata',
        licenses: ['LicenseRef-public-domain'],
      });
      expect(byName.get('starlette')).toMatchObject({ licenses: ['BSD-3-Clause'], version: '0.27.0' });
      expect(byName.get('typing-extensions')?.licenses).toEqual(['PSF-2.0']);
      expect(byName.get('idna')?.location).toBe('/usr/lib/python3/dist-packages/idna-3.6.egg-info');
    });

    it('reports the real records that affect the old versions, and not the one 0.27.0 fixed', () => {
      const found = report.vulnerabilities.map(
        (v) => `${v.id} ${v.package.name} ${v.rating.severity} ${v.fixed.join(',')}`,
      );
      expect(found.sort()).toEqual(
        [
          'DEBIAN-CVE-2026-56410 libexpat1 medium 2.8.2-1~deb13u1',
          'GHSA-2c2j-9gv5-cj73 starlette medium 0.47.2',
          'GHSA-f96h-pmfr-66vw starlette high 0.40.0',
          'GHSA-vqfr-h8mv-ghfj h11 critical 0.16.0',
          'PYSEC-2024-60 idna high 3.7',
        ].sort(),
      );
      const expat = report.findings.find((r) => r.id === 'scan.vuln.DEBIAN-CVE-2026-56410');
      expect(expat?.message).toContain('libexpat1 2.7.1-2 (source expat 2.7.1-2)');
      expect(expat?.message).toContain('CVE-2026-56410');
      expect(report.failed).toBe(true);
    });

    it('writes a valid CycloneDX 1.6 SBOM for it', async () => {
      const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
      expect(await validator.validate(JSON.stringify(report.sbom))).toBeNull();
    });
  });

  describe('secrets', () => {
    let report: ScanReport;
    beforeAll(async () => {
      report = await scanImage({ engine, image: tag('scan-secrets') });
      process.stderr.write(renderScanSummary(report));
    });

    it('finds secrets deleted in a later layer, with the layer that still holds them', () => {
      const secretsFound = report.findings.filter((r) => r.id.startsWith('scan.secret.'));
      const byId = new Map(secretsFound.map((r) => [r.id, r]));
      expect([...byId.keys()].sort()).toEqual(
        [
          'scan.secret.dotenv',
          'scan.secret.git-folder',
          'scan.secret.github-token',
          // The npm token sits in .npmrc: one finding (the file rule's), not a second for the token.
          'scan.secret.npmrc-token',
          'scan.secret.private-key',
        ].sort(),
      );
      const key = byId.get('scan.secret.private-key');
      expect(key?.message).toMatch(
        /\/root\/\.ssh\/id_rsa \(layer 3\): deleted in layer 5, but still readable from layer 3/,
      );
      expect(byId.get('scan.secret.dotenv')?.message).toContain('present in the final filesystem');
      expect(byId.get('scan.secret.git-folder')?.message).toContain('/app/project/.git');
    });

    it('never prints a secret in clear', () => {
      const text = JSON.stringify(report.findings) + renderScanSummary(report);
      for (const value of [secrets.github, secrets.npm, secrets.envPassword, 'MII']) {
        expect(text).not.toContain(value);
      }
      const github = report.findings.find((r) => r.id === 'scan.secret.github-token');
      expect(github?.evidence).toContainEqual(
        expect.stringMatching(/^secret: ghp_… \(40 chars, sha256:[0-9a-f]{12}\)$/),
      );
    });

    it('skips the look-alikes: .env.example, a header without a key, a package test key', () => {
      const paths = report.findings.flatMap((r) => r.evidence ?? []).filter((e) => e.startsWith('path:'));
      expect(paths.join('\n')).not.toMatch(/\.env\.example|ssl_names\.py|tornado\/test/);
    });
  });

  describe('hardening', () => {
    it('fails each rule on the setuid image', async () => {
      const report = await scanImage({ engine, image: tag('scan-setuid') });
      const status = Object.fromEntries(
        report.findings
          .filter((r) => r.id.startsWith('scan.hardening.'))
          .map((r) => [r.id.slice(15), r.status]),
      );
      expect(status).toEqual({
        'root-user': 'fail',
        setuid: 'fail',
        'world-writable': 'fail',
        'secret-env': 'fail',
        healthcheck: 'fail',
        'package-cache': 'fail',
      });
      const setuid = report.findings.find((r) => r.id === 'scan.hardening.setuid');
      expect(setuid?.evidence).toContain('/usr/local/bin/sg-tool mode 2755 uid 0 gid 42 (layer 0)');
      expect(setuid?.evidence).toContain('/usr/local/bin/su-tool mode 4755 uid 0 gid 0 (layer 0)');
      const env = report.findings.find((r) => r.id === 'scan.hardening.secret-env');
      expect(env?.message).toBe('the image config sets DATABASE_PASSWORD');
      expect(JSON.stringify(env)).not.toContain(secrets.envPassword);
      expect(report.failed).toBe(true);
    });

    it('passes each rule on the clean package image', async () => {
      const report = await scanImage({ engine, image: tag('scan-packages') });
      const failing = report.findings.filter(
        (r) => r.id.startsWith('scan.hardening.') && r.status !== 'pass',
      );
      expect(failing).toEqual([]);
    });
  });
});

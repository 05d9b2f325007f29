import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Package } from '../../../src/scan/catalog/package.js';
import { pep440 } from '../../../src/scan/versions/index.js';
import { inRange, matchPackages } from '../../../src/scan/vulns/match.js';
import type { OsvRecord } from '../../../src/scan/vulns/osv.js';
import { loadOsv } from '../../../src/scan/vulns/source.js';
import { repoRoot } from '../../helpers/cli.js';

const osvDir = join(repoRoot, 'test', 'fixtures', 'scan', 'osv');
const record = (id: string) => JSON.parse(readFileSync(join(osvDir, `${id}.json`), 'utf8')) as OsvRecord;

function python(name: string, version: string): Package {
  return {
    type: 'python',
    name,
    version,
    purl: `pkg:pypi/${name}@${version}`,
    licenses: [],
    cpes: [],
    location: '/x',
    layer: 0,
    paths: [],
  };
}

function deb(name: string, version: string, source: string, sourceVersion = version): Package {
  return {
    type: 'deb',
    name,
    version,
    purl: `pkg:deb/debian/${name}@${version}`,
    licenses: [],
    cpes: [],
    location: '/var/lib/dpkg/status',
    layer: 0,
    paths: [],
    source: { name: source, version: sourceVersion },
  };
}

describe('OSV range evaluation', () => {
  const range = (...events: object[]) => ({ type: 'ECOSYSTEM', events });
  it('opens at introduced and closes at fixed', () => {
    const r = range({ introduced: '0.13.5' }, { fixed: '0.27.0' });
    expect(inRange('0.13.4', r, pep440)).toBe(false);
    expect(inRange('0.13.5', r, pep440)).toBe(true);
    expect(inRange('0.26.0.post1', r, pep440)).toBe(true);
    expect(inRange('0.27.0', r, pep440)).toBe(false);
  });

  it('closes after last_affected, and reopens at a later introduced', () => {
    const r = range({ introduced: '0' }, { last_affected: '1.2' }, { introduced: '2.0' }, { fixed: '2.1' });
    expect(inRange('1.2', r, pep440)).toBe(true);
    expect(inRange('1.2.1', r, pep440)).toBe(false);
    expect(inRange('2.0.5', r, pep440)).toBe(true);
    expect(inRange('2.1', r, pep440)).toBe(false);
  });

  it('sorts the events before walking them', () => {
    expect(inRange('1.5', range({ fixed: '2.0' }, { introduced: '1.0' }), pep440)).toBe(true);
  });
});

describe('matching the fixture records', () => {
  it('matches PyPI by normalized name and PEP 440 order, with the next fix', async () => {
    const records = await loadOsv(osvDir);
    const matches = matchPackages(
      [python('Starlette', '0.27.0'), python('idna', '3.20')],
      records,
      'Debian:13',
    );
    expect(matches.map((m) => [m.id, m.fixed, m.rating.severity])).toEqual([
      ['GHSA-2c2j-9gv5-cj73', ['0.47.2'], 'medium'],
      ['GHSA-f96h-pmfr-66vw', ['0.40.0'], 'high'],
    ]);
    // GHSA-f96h gives only a CVSS v4 vector: it is rated by it, not by its database severity.
    expect(matches.map((m) => m.rating.source)).toEqual(['CVSS 3.1 5.3', 'CVSS 4.0 8.7']);
    expect(
      matchPackages([python('starlette', '0.26.0.post1')], records, undefined).map((m) => m.id),
    ).toContain('PYSEC-2023-83');
    expect(
      matchPackages([python('h11', '0.16.0'), python('fastapi', '0.109.1')], records, undefined),
    ).toEqual([]);
  });

  it('matches Debian by source package and release, in dpkg order', () => {
    const expat = record('DEBIAN-CVE-2026-56410');
    const old = deb('libexpat1', '2.7.1-2', 'expat');
    expect(matchPackages([old], [expat], 'Debian:13').map((m) => [m.id, m.aliases, m.fixed])).toEqual([
      ['DEBIAN-CVE-2026-56410', ['CVE-2026-56410'], ['2.8.2-1~deb13u1']],
    ]);
    // The binary name is not what Debian's data is keyed on.
    expect(matchPackages([deb('libexpat1', '2.7.1-2', 'libexpat1')], [expat], 'Debian:13')).toEqual([]);
    // Debian 12's range says nothing about Debian 13.
    expect(matchPackages([deb('libexpat1', '2.5.0-1', 'expat')], [expat], 'Debian:12')).toHaveLength(1);
    expect(matchPackages([deb('libexpat1', '2.8.2-1~deb13u1', 'expat')], [expat], 'Debian:13')).toEqual([]);
    expect(matchPackages([deb('libexpat1', '2.8.2-1~deb13u0', 'expat')], [expat], 'Debian:13')).toHaveLength(
      1,
    );
    expect(matchPackages([old], [expat], undefined)).toEqual([]);
  });

  it('matches a version from the versions list even when it cannot be ordered', () => {
    const listed: OsvRecord = {
      id: 'TEST-1',
      affected: [{ package: { ecosystem: 'PyPI', name: 'odd' }, versions: ['2004d'] }],
    };
    expect(matchPackages([python('odd', '2004d')], [listed], undefined)).toHaveLength(1);
  });

  it('ignores withdrawn records and merges aliases of one flaw into one finding', () => {
    const ghsa = record('GHSA-f96h-pmfr-66vw');
    const withdrawn = { ...ghsa, id: 'GHSA-3qj8-93xh-pwh2', withdrawn: '2024-10-28T15:22:00Z' };
    const twin: OsvRecord = { ...ghsa, id: 'TEST-TWIN-1', aliases: ['CVE-2024-47874'], severity: [] };
    const matches = matchPackages([python('starlette', '0.27.0')], [ghsa, withdrawn, twin], undefined);
    expect(matches.map((m) => [m.id, m.aliases, m.rating.severity])).toEqual([
      ['GHSA-f96h-pmfr-66vw', ['CVE-2024-47874', 'TEST-TWIN-1'], 'high'],
    ]);
  });
});

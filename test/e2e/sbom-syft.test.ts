import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';
import { inCI } from '../helpers/testbed.js';

/**
 * slipway's CycloneDX SBOM next to syft's on the reference image (issue 17): the same Debian and
 * Python packages by name and version, and a license on at least 90 % of the Debian packages
 * that syft gives one. syft is the version scripts/testbed/pins.sh pins, built by
 * scripts/testbed/syft.sh into the test bed cache (or SYFT, or syft on PATH). It reads the same
 * `docker save` archive slipway reads (`docker-archive:`), so both see the same bytes. With CI=true
 * a missing syft fails; elsewhere the tests skip and say why.
 */

/**
 * Where syft and slipway rightly differ, each with its reason; an entry that no longer occurs
 * fails the test as stale. On the reference image there is none today (syft 1.57.1, 2026-12-02:
 * 95 Debian and 17 Python packages on both sides, name and version). syft's other catalogers
 * do find 8 more there (binary classifiers: bash, gzip, openssl, the python interpreter; ELF
 * package notes: gcc-14, libzstd, shadow, systemd source packages), but every one is a file a
 * Debian package installed, and syft drops what an OS package owns (its default
 * `package.exclude-binary-overlap-by-ownership`), as slipway never lists them apart.
 * Outside this image syft does list more: crates from `cargo auditable` data in Rust binaries
 * (the uv image has 532), which slipway does not read; the final image of a slipway build
 * carries no such binary.
 */
interface AcceptedDifference {
  /** The side that lists the package. */
  readonly side: 'syft' | 'slipway';
  /** `<type>:<name>`, the type being the purl type (`deb`, `pypi`) or syft's own for the rest. */
  readonly key: string;
  readonly reason: string;
}

const ACCEPTED: readonly AcceptedDifference[] = [];

const pins = readFileSync(join(repoRoot, 'scripts', 'testbed', 'pins.sh'), 'utf8');
const SYFT_VERSION = /^SYFT_VERSION=(\S+)$/m.exec(pins)?.[1] as string;
const LICENSE_SHARE = 0.9;

function syftBinary(): { path: string; version: string } | undefined {
  const cache =
    process.env.SLIPWAY_TESTBED_CACHE ??
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slipway-testbed');
  const candidates = [process.env.SYFT, join(cache, 'syft', SYFT_VERSION, 'bin', 'syft'), 'syft'];
  for (const path of candidates) {
    if (!path) continue;
    const run = spawnSync(path, ['version'], { encoding: 'utf8', env: syftEnv() });
    const version = /^Version:\s+(\S+)$/m.exec(run.stdout ?? '')?.[1];
    if (run.status === 0 && version) return { path, version };
  }
  return undefined;
}

/** No update check (there is no network), no colours, no config file but the defaults. */
function syftEnv(): NodeJS.ProcessEnv {
  return { ...process.env, SYFT_CHECK_FOR_APP_UPDATE: 'false', NO_COLOR: '1' };
}

interface Component {
  readonly type: string;
  readonly name: string;
  readonly version?: string;
  readonly purl?: string;
  readonly licenses?: readonly { license?: { id?: string; name?: string }; expression?: string }[];
  readonly properties?: readonly { name: string; value: string }[];
}

interface Listed {
  /** `<type>:<name>` (Python names as PEP 503 normalizes them, as pip and both tools compare them). */
  readonly key: string;
  readonly version: string;
  readonly licenses: readonly string[];
}

function typeOf(component: Component): string {
  const purlType = /^pkg:([a-z]+)\//.exec(component.purl ?? '')?.[1];
  if (purlType === 'deb' || purlType === 'pypi') return purlType;
  // Anything else syft finds (binaries, other ecosystems) keeps syft's own type, so it shows.
  return component.properties?.find((p) => p.name === 'syft:package:type')?.value ?? purlType ?? 'unknown';
}

function nameOf(type: string, name: string): string {
  return type === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/** The SBOM's packages: library and application components, not the OS, the image or files. */
function listed(bom: { components?: readonly Component[] }): Listed[] {
  return (bom.components ?? [])
    .filter((c) => c.type === 'library' || c.type === 'application' || c.type === 'framework')
    .map((c) => {
      const type = typeOf(c);
      return {
        key: `${type}:${nameOf(type, c.name)}`,
        version: c.version ?? '',
        licenses: (c.licenses ?? [])
          .map((l) => l.expression ?? l.license?.id ?? l.license?.name ?? '')
          .filter((l) => l !== ''),
      };
    });
}

function byKey(packages: readonly Listed[]): Map<string, Listed[]> {
  const map = new Map<string, Listed[]>();
  for (const p of packages) map.set(p.key, [...(map.get(p.key) ?? []), p]);
  return map;
}

interface Comparison {
  readonly both: string[];
  readonly onlySyft: string[];
  readonly onlySlipway: string[];
}

/** `<type>:<name>@<version>` on each side; a version that differs shows on both lists. */
function compare(slipway: readonly Listed[], syft: readonly Listed[]): Comparison {
  const id = (p: Listed) => `${p.key}@${p.version}`;
  const ours = new Set(slipway.map(id));
  const theirs = new Set(syft.map(id));
  return {
    both: [...ours].filter((p) => theirs.has(p)).sort(),
    onlySyft: [...theirs].filter((p) => !ours.has(p)).sort(),
    onlySlipway: [...ours].filter((p) => !theirs.has(p)).sort(),
  };
}

function accepted(side: 'syft' | 'slipway', entry: string): AcceptedDifference | undefined {
  const key = entry.slice(0, entry.lastIndexOf('@'));
  return ACCEPTED.find((a) => a.side === side && a.key === key);
}

describe('slipway SBOM next to syft on the reference image', () => {
  const tag = 'inventory-api:0.1.0';
  const osv = join(repoRoot, 'test', 'fixtures', 'scan', 'osv');
  const syft = syftBinary();
  const missing = `syft ${SYFT_VERSION} was not found (SYFT, the test bed cache, PATH). Fix: bash scripts/testbed/syft.sh`;
  let work = '';
  let engine: ContainerEngine;
  let ours: Listed[] = [];
  let theirs: Listed[] = [];
  let result: Comparison;

  beforeAll(async () => {
    if (!syft) {
      if (inCI) throw new Error(missing);
      return;
    }
    engine = await realEngine();
    if (!(await engine.inspectImage(tag))) {
      const built = await runCli(['build', '--example'], { cwd: repoRoot });
      expect(built.code, built.stderr).toBe(0);
    }
    work = mkdtempSync(join(tmpdir(), 'slipway-sbom-syft-'));
    const scanned = await runCli(['scan', tag, '--osv', osv, '--format', 'cyclonedx']);
    expect(scanned.code, scanned.stderr).toBe(0);
    ours = listed(JSON.parse(scanned.stdout));

    const archive = join(work, 'image.tar');
    await engine.saveImage(tag, archive);
    const out = join(work, 'syft.cdx.json');
    const run = spawnSync(syft.path, [`docker-archive:${archive}`, '-q', '-o', `cyclonedx-json=${out}`], {
      cwd: work,
      encoding: 'utf8',
      env: syftEnv(),
      timeout: 300_000,
    });
    expect(run.status, `${syft.path} failed: ${run.stderr}`).toBe(0);
    theirs = listed(JSON.parse(readFileSync(out, 'utf8')));
    result = compare(ours, theirs);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs syft (with CI=true a missing syft is a failure)', (context) => {
    if (!syft) context.skip(missing);
    expect(syft?.version).toBe(SYFT_VERSION.replace(/^v/, ''));
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours.length).toBeGreaterThan(0);
  });

  it('lists the same Debian and Python packages, name and version, but for the accepted differences', (context) => {
    if (!syft) context.skip(missing);
    const counts = (packages: readonly Listed[], type: string) =>
      packages.filter((p) => p.key.startsWith(`${type}:`)).length;
    console.log(
      [
        `side by side with syft ${syft?.version} on ${tag}:`,
        `  packages: slipway ${ours.length} (${counts(ours, 'deb')} deb, ${counts(ours, 'pypi')} python), syft ${theirs.length} (${counts(theirs, 'deb')} deb, ${counts(theirs, 'pypi')} python)`,
        `  in both: ${result.both.length}; only in syft: ${result.onlySyft.length}${result.onlySyft.length ? ` (${result.onlySyft.join(', ')})` : ''}; only in slipway: ${result.onlySlipway.length}${result.onlySlipway.length ? ` (${result.onlySlipway.join(', ')})` : ''}`,
      ].join('\n'),
    );
    const unexplained = [
      ...result.onlySyft.filter((p) => !accepted('syft', p)).map((p) => `only syft lists ${p}`),
      ...result.onlySlipway.filter((p) => !accepted('slipway', p)).map((p) => `only slipway lists ${p}`),
    ];
    expect(unexplained, unexplained.join('\n')).toEqual([]);
    // An accepted difference that no longer occurs is stale: remove it, so the list stays true.
    const stale = ACCEPTED.filter(
      (a) =>
        !(a.side === 'syft' ? result.onlySyft : result.onlySlipway).some(
          (p) => p.slice(0, p.lastIndexOf('@')) === a.key,
        ),
    ).map((a) => `${a.side} ${a.key}`);
    expect(stale, `accepted differences that no longer occur: ${stale.join(', ')}`).toEqual([]);
    // The comparison is of sets: on this image each side lists each package once.
    for (const [tool, side] of [
      ['slipway', ours],
      ['syft', theirs],
    ] as const) {
      const twice = [...byKey(side)].filter(([, list]) => list.length > 1).map(([key]) => key);
      expect(twice, `${tool} lists these more than once: ${twice.join(', ')}`).toEqual([]);
    }
  });

  it(`gives a license to at least ${LICENSE_SHARE * 100} % of the Debian packages syft gives one`, (context) => {
    if (!syft) context.skip(missing);
    const ourDeb = byKey(ours.filter((p) => p.key.startsWith('deb:')));
    const syftLicensed = theirs.filter((p) => p.key.startsWith('deb:') && p.licenses.length > 0);
    const covered = syftLicensed.filter((p) => (ourDeb.get(p.key)?.[0]?.licenses.length ?? 0) > 0);
    const uncovered = syftLicensed.filter((p) => !covered.includes(p)).map((p) => p.key);
    const debCount = (side: readonly Listed[]) => side.filter((p) => p.key.startsWith('deb:')).length;
    const licensed = (side: readonly Listed[]) =>
      side.filter((p) => p.key.startsWith('deb:') && p.licenses.length > 0).length;
    console.log(
      [
        `  Debian licenses: slipway ${licensed(ours)}/${debCount(ours)}, syft ${licensed(theirs)}/${debCount(theirs)};`,
        `  slipway has one on ${covered.length}/${syftLicensed.length} of those syft gives one${uncovered.length ? ` (not: ${uncovered.join(', ')})` : ''}`,
        // syft names a license text it does not recognise by its digest (`sha256:…`).
        `  syft's license is only a text digest for ${syftLicensed.filter((p) => p.licenses.every((l) => l.startsWith('sha256:'))).length}`,
      ].join('\n'),
    );
    expect(syftLicensed.length).toBeGreaterThan(0);
    expect(
      covered.length / syftLicensed.length,
      `no license from slipway for: ${uncovered.join(', ')}`,
    ).toBeGreaterThanOrEqual(LICENSE_SHARE);
  });
});

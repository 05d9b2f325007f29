/**
 * `slipway scan` as a library: read the image (all layers), catalog its packages, write the
 * SBOM, match OSV records, look for secrets in every layer and audit its hardening. Returns data
 * only; printing is the CLI's (src/report/scan.ts renders the table).
 */
import { createRequire } from 'node:module';
import type { ContainerEngine } from '../engines/engine.js';
import type { Result } from '../result.js';
import type { ImageArchive } from './archive.js';
import { type Catalog, catalog, isCatalogFile, type OsRelease, type Package } from './catalog/index.js';
import type { FailOn } from './fail-on.js';
import type { ScanFinding } from './finding.js';
import { hardeningFindings } from './hardening.js';
import { applyIgnores, loadIgnoreFile } from './ignore.js';
import { readArchive, readImage, type ScannedImage } from './image.js';
import { buildCycloneDx, loadCycloneDx, type SbomSubject } from './sbom.js';
import { SecretScanner, secretFindings } from './secrets/index.js';
import { buildSpdx } from './spdx.js';
import type { StreamOptions } from './stream.js';
import { applyVex, type VexDecision } from './vex/apply.js';
import { loadVex } from './vex/documents.js';
import { vulnerabilityFindings } from './vulns/findings.js';
import { matchPackages, type VulnMatch } from './vulns/match.js';
import type { OsvRecord } from './vulns/osv.js';
import { scanSeverityRank } from './vulns/severity.js';
import { loadOsv } from './vulns/source.js';

export type { OsRelease, Package } from './catalog/index.js';
export type { ScanFinding } from './finding.js';
export type { VexDecision } from './vex/apply.js';
export type { VulnMatch } from './vulns/match.js';
export type { ScanSeverity } from './vulns/severity.js';

export interface ScanOptions {
  readonly engine: ContainerEngine;
  /** Image reference as the engine knows it, e.g. `inventory-api:0.1.0`. */
  readonly image: string;
  /** OSV data: a folder of OSV JSON files, or an OSV `all.zip` export. Without it, no vulnerability matching. */
  readonly osv?: string | readonly string[];
  /** YAML ignore file (id, reason, expires). */
  readonly ignoreFile?: string;
  /** Suppress vulnerabilities that have no fixed version yet. @default false */
  readonly ignoreUnfixed?: boolean;
  /** Lowest severity that fails the scan. @default 'high' */
  readonly failOn?: FailOn;
  /** List the files each package installed in the SBOM, with their SHA-256. @default false */
  readonly files?: boolean;
  /** OpenVEX or CycloneDX VEX documents: `not_affected`/`fixed` statements suppress their findings. */
  readonly vex?: readonly string[];
}

export interface ScanReport {
  readonly image: {
    readonly ref: string;
    readonly id: string | undefined;
    readonly format: ImageArchive['format'];
    readonly layers: number;
    readonly user: string;
    readonly os: OsRelease | undefined;
  };
  readonly packages: readonly Package[];
  /** CycloneDX 1.6 JSON document. */
  readonly sbom: Record<string, unknown>;
  readonly vulnerabilities: readonly VulnMatch[];
  /** What the VEX documents said about the vulnerabilities found (empty without --vex). */
  readonly vex: readonly VexDecision[];
  /** Every finding as the shared Result shape, for the reporters. */
  readonly findings: readonly Result[];
  /** The same findings with their scan severity (unknown/low/medium/high/critical). */
  readonly scanFindings: readonly ScanFinding[];
  readonly failOn: FailOn;
  /** Whether an unsuppressed failing finding is at or above failOn. */
  readonly failed: boolean;
  readonly stats: {
    readonly durationMs: number;
    readonly textFilesScanned: number;
    readonly osvRecords: number | undefined;
  };
}

export { type FailOn, parseFailOn } from './fail-on.js';

const { version: toolVersion } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The instruction that made each layer: history entries that are not empty, in order. */
function layerSteps(image: ScannedImage): (layer: number) => string | undefined {
  const steps = image.archive.config.history.filter((h) => !h.emptyLayer).map((h) => h.createdBy);
  return (layer) => steps[layer]?.replace(/\s+/g, ' ').slice(0, 120);
}

function vulnNames(result: Result, matches: readonly VulnMatch[]): string[] {
  const match = matches.find((m) => result.id === `scan.vuln.${m.id}`);
  return match ? [match.id, ...match.aliases] : [];
}

function summaryResults(
  matches: readonly VulnMatch[],
  cat: Catalog,
  records: number | undefined,
): ScanFinding[] {
  if (records === undefined) {
    const result: Result = {
      id: 'scan.vuln',
      title: 'Known vulnerabilities',
      status: 'skip',
      severity: 'info',
      message: 'no OSV data given (--osv DIR|ZIP): packages were not matched against vulnerabilities',
    };
    return [{ result, severity: 'unknown' }];
  }
  if (matches.length > 0) return [];
  const message = `no known vulnerabilities in ${cat.packages.length} packages (${records} OSV records)`;
  return [
    {
      result: { id: 'scan.vuln', title: 'Known vulnerabilities', status: 'pass', severity: 'info', message },
      severity: 'unknown',
    },
  ];
}

/** Scans an image archive already on disk (what `docker save` / `podman save` write). */
export async function scanArchive(
  file: string,
  options: Omit<ScanOptions, 'engine' | 'image'> & { readonly ref: string; readonly imageId?: string },
): Promise<ScanReport> {
  return scan(options.ref, options, (walk) => readArchive(options.ref, file, walk), options.imageId);
}

export async function scanImage(options: ScanOptions): Promise<ScanReport> {
  const info = await options.engine.inspectImage(options.image);
  const read = (walk: StreamOptions) => readImage(options.engine, options.image, info?.id, walk);
  return scan(options.image, options, read, info?.id);
}

async function scan(
  ref: string,
  options: Omit<ScanOptions, 'engine' | 'image'>,
  read: (walk: StreamOptions) => Promise<ScannedImage>,
  imageId: string | undefined,
): Promise<ScanReport> {
  const started = Date.now();
  // Load the inputs before the (slow) image read, so that a bad path fails fast.
  const sources =
    options.osv === undefined ? [] : typeof options.osv === 'string' ? [options.osv] : options.osv;
  const records: OsvRecord[] | undefined =
    sources.length > 0 ? (await Promise.all(sources.map(loadOsv))).flat() : undefined;
  const ignores = options.ignoreFile ? await loadIgnoreFile(options.ignoreFile) : [];
  const statements = (await Promise.all((options.vex ?? []).map((file) => loadVex(file)))).flat();
  const scanner = new SecretScanner();
  const reading = read({ keep: isCatalogFile, visitor: scanner, hash: options.files ?? false });
  // Loaded while the engine saves the image (it writes nothing for a second or so at first).
  void loadCycloneDx().catch(() => undefined);
  const image = await reading;
  // The pass saw layers in archive order; a hit names its layer once that order is known.
  const hits = scanner.hits
    .flatMap((hit) => image.layersOfBlob(hit.layer).map((layer) => ({ ...hit, layer })))
    .sort((a, b) => a.layer - b.layer);
  const cat = catalog(image.fs);
  const subject: SbomSubject = {
    ref,
    imageId,
    os: cat.os,
    packages: cat.packages,
    toolVersion,
    ...(options.files ? { files: fileDigests(image.fs) } : {}),
  };
  const { bom } = await buildCycloneDx(subject);
  const matches = records ? matchPackages(cat.packages, records, cat.os?.ecosystem) : [];

  let findings: ScanFinding[] = [
    ...vulnerabilityFindings(matches),
    ...summaryResults(matches, cat, records?.length),
    ...secretFindings(hits, image.fs, layerSteps(image)),
    ...(hits.length === 0
      ? [{ severity: 'unknown' as const, result: secretsPass(scanner.scanned, image.fs.layerCount) }]
      : []),
    ...hardeningFindings(image.archive.config, image.fs),
  ];
  if (options.ignoreUnfixed) {
    findings = findings.map((f) => {
      const match = matches.find((m) => f.result.id === `scan.vuln.${m.id}`);
      if (!match || match.fixed.length > 0) return f;
      return {
        ...f,
        result: { ...f.result, suppressed: { by: 'config', reason: 'no fixed version (--ignore-unfixed)' } },
      };
    });
  }
  const vex = applyVex(findings, matches, statements, ref);
  findings = applyIgnores(vex.findings, ignores, (result) => vulnNames(result, matches));

  const failOn = options.failOn ?? 'high';
  const failed = findings.some(
    (f) =>
      f.result.status === 'fail' &&
      !f.result.suppressed &&
      scanSeverityRank(f.severity) >= scanSeverityRank(failOn),
  );
  return {
    image: {
      ref,
      id: imageId,
      format: image.archive.format,
      layers: image.fs.layerCount,
      user: image.archive.config.user,
      os: cat.os,
    },
    packages: cat.packages,
    sbom: bom,
    vulnerabilities: matches,
    vex: vex.decisions,
    findings: findings.map((f) => f.result),
    scanFindings: findings,
    failOn,
    failed,
    stats: {
      durationMs: Date.now() - started,
      textFilesScanned: scanner.scanned,
      osvRecords: records?.length,
    },
  };
}

function fileDigests(fs: ScannedImage['fs']): Map<string, string> {
  const digests = new Map<string, string>();
  for (const file of fs.files.values()) if (file.sha256) digests.set(file.path, file.sha256);
  return digests;
}

function secretsPass(files: number, layers: number): Result {
  return {
    id: 'scan.secret',
    title: 'Secrets in layers',
    status: 'pass',
    severity: 'info',
    message: `no secrets in ${files} text files across ${layers} layers (deleted files included)`,
  };
}

/** The report's packages as SPDX 2.3 JSON (`--format spdx`). */
export function toSpdx(report: ScanReport): Record<string, unknown> {
  return buildSpdx({
    ref: report.image.ref,
    imageId: report.image.id,
    os: report.image.os,
    packages: report.packages,
    toolVersion,
  });
}

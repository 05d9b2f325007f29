import { analyzeProject } from '../analyze/index.js';
import { type BuildOutcome, buildImage } from '../build/image.js';
import { detectEngine } from '../engines/detect.js';
import { type FailOn, type ScanReport, scanImage } from '../scan/index.js';
import { type CachedOsv, osvSources, updateOsvData } from '../scan/vulns/update.js';
import { isDirectory } from '../util/fs.js';
import { projectDir } from '../util/paths.js';

export interface ScanCommandOptions {
  /** An image reference, or a project folder (built first). @default the current directory */
  readonly subject?: string;
  /** Build and scan the bundled reference backend. @default false */
  readonly example?: boolean;
  readonly engine?: string;
  /** OSV data: a folder of OSV JSON records or an OSV all.zip export, used offline.
   * @default what `updateDb` cached, if anything */
  readonly osv?: string;
  /** Fetch fresh OSV exports of these ecosystems into the cache first (e.g. PyPI, Debian:13). */
  readonly updateDb?: readonly string[];
  /** A mirror of OSV's bucket for updateDb. @default OSV's bucket, or SLIPWAY_OSV_MIRROR */
  readonly osvMirror?: string;
  readonly onProgress?: (line: string) => void;
  /** OpenVEX / CycloneDX VEX documents: not_affected and fixed statements suppress findings. */
  readonly vex?: readonly string[];
  /** List each package's files with their SHA-256 in the SBOM. @default false */
  readonly files?: boolean;
  readonly ignoreFile?: string;
  readonly ignoreUnfixed?: boolean;
  /** @default 'high' */
  readonly failOn?: FailOn;
}

export interface ScanOutcome {
  readonly report: ScanReport;
  readonly build: BuildOutcome | undefined;
  /** The cached OSV data the scan used, with its age (empty with --osv or without a cache). */
  readonly osvData: readonly CachedOsv[];
}

/** Reads an image layer by layer: SBOM, OSV matches, secrets in every layer, hardening. */
export async function scan(options: ScanCommandOptions = {}): Promise<ScanOutcome> {
  const subjectIsProject =
    options.example || options.subject === undefined || (await isDirectory(options.subject));
  const project = subjectIsProject
    ? projectDir(
        { ...(options.subject === undefined ? {} : { path: options.subject }), example: options.example },
        { verb: 'scan' },
      )
    : undefined;
  const model = project ? await analyzeProject(project) : undefined;
  const { engine } = await detectEngine(options.engine);
  let image = options.subject ?? '';
  let built: BuildOutcome | undefined;
  if (model) {
    built = await buildImage(model, engine);
    image = built.image;
  }
  if (options.updateDb && options.updateDb.length > 0) {
    await updateOsvData({
      ecosystems: options.updateDb,
      ...(options.osvMirror ? { mirror: options.osvMirror } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  const { sources, cached } = await osvSources(options.osv);
  const report = await scanImage({
    engine,
    image,
    ...(sources.length > 0 ? { osv: sources } : {}),
    ...(options.vex ? { vex: options.vex } : {}),
    ...(options.files ? { files: true } : {}),
    ...(options.ignoreFile ? { ignoreFile: options.ignoreFile } : {}),
    ...(options.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  });
  return { report, build: built, osvData: cached };
}

import type { BuildOutcome } from '../build/image.js';
import { detectEngine } from '../engines/detect.js';
import { DockerEngine } from '../engines/docker.js';
import type { ContainerEngine } from '../engines/engine.js';
import type { FailOn } from '../scan/fail-on.js';
import { dropPrefetch, prefetchImage } from '../scan/image.js';
import type { ScanReport } from '../scan/index.js';
import type { CachedOsv } from '../scan/vulns/update.js';
import { which } from '../util/exec.js';
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

/**
 * The engine for a scan of `image` (a name, or undefined for a project's image), with the save of
 * a named image started as early as can be: on Docker (detection's first choice) while
 * detection still asks it, again on the engine detection chooses if that is another one.
 */
async function engineFor(
  preferred: string | undefined,
  image: string | undefined,
  loading: () => void,
): Promise<ContainerEngine> {
  const docker =
    image !== undefined && (preferred || 'docker') === 'docker' ? await which('docker') : undefined;
  const early = docker ? new DockerEngine(docker) : undefined;
  if (early && image !== undefined) prefetchImage(early, image, { keepArchive: false });
  // Loading modules holds the thread: only once the save is on its way.
  loading();
  const { engine, info } = await detectEngine(preferred);
  if (early && info.kind === 'docker' && info.binary === docker) return early;
  if (image !== undefined) {
    void dropPrefetch(image);
    prefetchImage(engine, image, { keepArchive: false });
  }
  return engine;
}

/** The scanner and its OSV data: most of what a scan loads. */
function loadScanner() {
  return Promise.all([import('../scan/index.js'), import('../scan/vulns/update.js')]);
}

/**
 * Reads an image layer by layer: SBOM, OSV matches, secrets in every layer, hardening.
 *
 * An image given by name starts saving before anything else (engineFor): the engine needs about
 * a second before its first byte, spent here detecting it and loading the scanner and its
 * inputs. The command reads the image once, so the save keeps no copy for a second read.
 */
export async function scan(options: ScanCommandOptions = {}): Promise<ScanOutcome> {
  const subjectIsProject =
    options.example || options.subject === undefined || (await isDirectory(options.subject));
  const project = subjectIsProject
    ? projectDir(
        { ...(options.subject === undefined ? {} : { path: options.subject }), example: options.example },
        { verb: 'scan' },
      )
    : undefined;
  let scanner: ReturnType<typeof loadScanner> | undefined;
  const loading = () => {
    scanner = loadScanner();
    // Awaited below; a failure to load must not go unhandled while the engine is detected.
    scanner.catch(() => undefined);
  };
  let image = options.subject ?? '';
  let built: BuildOutcome | undefined;
  try {
    const model = project ? await (await import('../analyze/index.js')).analyzeProject(project) : undefined;
    const engine = await engineFor(
      options.engine || process.env.SLIPWAY_ENGINE || undefined,
      model ? undefined : image,
      loading,
    );
    if (model) {
      built = await (await import('../build/image.js')).buildImage(model, engine);
      image = built.image;
    }
    const [{ scanImage }, { osvSources, updateOsvData }] = await (scanner ?? loadScanner());
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
  } finally {
    // Read by now, unless the scan stopped first (a bad --osv, ignore or VEX file).
    void dropPrefetch(image);
  }
}

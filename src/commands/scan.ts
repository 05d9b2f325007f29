import { analyzeProject } from '../analyze/index.js';
import { type BuildOutcome, buildImage } from '../build/image.js';
import { detectEngine } from '../engines/detect.js';
import { type FailOn, type ScanReport, scanImage } from '../scan/index.js';
import { isDirectory } from '../util/fs.js';
import { exampleProject } from '../util/paths.js';

export interface ScanCommandOptions {
  /** An image reference, or a project folder (built first). @default the bundled reference backend */
  readonly subject?: string;
  readonly engine?: string;
  /** OSV data: a folder of OSV JSON records or an OSV all.zip export, used offline. */
  readonly osv?: string;
  readonly ignoreFile?: string;
  readonly ignoreUnfixed?: boolean;
  /** @default 'high' */
  readonly failOn?: FailOn;
}

export interface ScanOutcome {
  readonly report: ScanReport;
  readonly build: BuildOutcome | undefined;
}

/** Reads an image layer by layer: SBOM, OSV matches, secrets in every layer, hardening. */
export async function scan(options: ScanCommandOptions = {}): Promise<ScanOutcome> {
  const subject = options.subject ?? exampleProject;
  const { engine } = await detectEngine(options.engine);
  let image = subject;
  let built: BuildOutcome | undefined;
  if (await isDirectory(subject)) {
    built = await buildImage(await analyzeProject(subject), engine);
    image = built.image;
  }
  const report = await scanImage({
    engine,
    image,
    ...(options.osv ? { osv: options.osv } : {}),
    ...(options.ignoreFile ? { ignoreFile: options.ignoreFile } : {}),
    ...(options.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  });
  return { report, build: built };
}

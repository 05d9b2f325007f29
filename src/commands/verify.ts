import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { type BuildImageOptions, type BuildOutcome, buildImage } from '../build/image.js';
import { detectEngine } from '../engines/detect.js';
import { UsageError } from '../errors.js';
import { isDirectory } from '../util/fs.js';
import { projectDir } from '../util/paths.js';
import { type VerifyBuiltOptions, verifyBuilt } from '../verify/project.js';
import type { VerifyReport } from '../verify/runner.js';

export interface VerifyCommandOptions extends VerifyBuiltOptions {
  /** An image reference, or a project folder (built first). @default the current directory */
  readonly subject?: string;
  /** Build and verify the bundled reference backend. @default false */
  readonly example?: boolean;
  /** Build the project first even when `subject` names an image (needs `project`). @default false */
  readonly build?: boolean;
  /** The project the image was built from: its settings, routes and port are what verify expects. */
  readonly project?: string;
  readonly engine?: string;
  /** Passed to the build when verify builds first. */
  readonly buildOptions?: BuildImageOptions;
}

export interface VerifyOutcome {
  readonly report: VerifyReport;
  readonly build: BuildOutcome | undefined;
  readonly model: ProjectModel | undefined;
}

/**
 * Verifies an image: given a folder (or nothing), analyzes and builds the project first; given an
 * image, checks it against the project named by `project`, or against the defaults. The scan runs
 * as one of the checks unless `scan: false`.
 */
export async function verify(options: VerifyCommandOptions = {}): Promise<VerifyOutcome> {
  const subjectIsProject =
    options.example || options.subject === undefined || (await isDirectory(options.subject));
  const projectPath = subjectIsProject
    ? projectDir(
        { ...(options.subject === undefined ? {} : { path: options.subject }), example: options.example },
        { verb: 'verify' },
      )
    : options.project && projectDir({ path: options.project }, { verb: 'verify' });
  const model = projectPath ? await analyzeProject(projectPath) : undefined;
  let image = options.subject ?? '';
  const { engine } = await detectEngine(options.engine);
  let built: BuildOutcome | undefined;
  if (subjectIsProject || options.build) {
    if (!model) throw new UsageError('--build needs the project to build', { fix: 'add --project PATH' });
    built = await buildImage(model, engine, options.buildOptions ?? {});
    image = built.image;
  }
  const report = await verifyBuilt(engine, image, model, options);
  return { report, build: built, model };
}

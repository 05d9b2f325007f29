import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { detectEngine } from '../engines/detect.js';
import type { ContainerEngine } from '../engines/engine.js';
import { UsageError } from '../errors.js';
import type { Result } from '../result.js';
import { isDirectory } from '../util/fs.js';
import { exampleProject } from '../util/paths.js';
import type { VerifyCheck } from '../verify/check.js';
import { type VerifyReport, verifyImage } from '../verify/runner.js';
import { defaultTarget, targetFromModel } from '../verify/target.js';
import { type BuildOptions, type BuildOutcome, buildModel } from './build.js';

export interface VerifyCommandOptions {
  /**
   * An image reference, or a project folder (built first). @default the bundled reference backend
   */
  readonly subject?: string;
  /** Build the project first even when `subject` names an image (needs `project`). @default false */
  readonly build?: boolean;
  /** The project the image was built from: its settings, routes and port are what verify expects. */
  readonly project?: string;
  readonly engine?: string;
  /** Passed to the build when verify builds first. */
  readonly buildOptions?: Omit<BuildOptions, 'path' | 'engine'>;
  readonly extraChecks?: readonly VerifyCheck[];
  readonly onCheckStart?: (check: { id: string; title: string }) => void;
  readonly onResult?: (result: Result) => void;
}

export interface VerifyOutcome {
  readonly report: VerifyReport;
  readonly build: BuildOutcome | undefined;
  readonly model: ProjectModel | undefined;
}

/**
 * Verifies an image: given a folder (or nothing), analyzes and builds the project first; given an
 * image, checks it against the project named by `project`, or against the defaults.
 */
export async function verify(options: VerifyCommandOptions = {}): Promise<VerifyOutcome> {
  const subject = options.subject ?? exampleProject;
  const subjectIsProject = await isDirectory(subject);
  const projectPath = subjectIsProject ? subject : options.project;
  const model = projectPath ? await analyzeProject(projectPath) : undefined;
  const { engine } = await detectEngine(options.engine);
  let built: BuildOutcome | undefined;
  let image = subject;
  if (subjectIsProject || options.build) {
    if (!model) throw new UsageError('--build needs the project to build', { fix: 'add --project PATH' });
    built = await buildModel(model, engine, options.buildOptions ?? {});
    image = built.image;
  }
  const report = await verifyBuilt(engine, image, model, options);
  return { report, build: built, model };
}

export function verifyBuilt(
  engine: ContainerEngine,
  image: string,
  model: ProjectModel | undefined,
  options: Pick<VerifyCommandOptions, 'extraChecks' | 'onCheckStart' | 'onResult'> = {},
): Promise<VerifyReport> {
  return verifyImage({
    engine,
    image,
    target: model ? targetFromModel(model) : defaultTarget(),
    ...(options.extraChecks ? { extraChecks: options.extraChecks } : {}),
    ...(options.onCheckStart ? { onCheckStart: options.onCheckStart } : {}),
    ...(options.onResult ? { onResult: options.onResult } : {}),
  });
}

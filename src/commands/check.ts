import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { checkModel, checkProject } from '../check/project.js';
import type { CheckReport } from '../check/types.js';
import { ProjectError } from '../errors.js';
import { failsAt, type Severity } from '../result.js';
import { isDirectory } from '../util/fs.js';
import { exampleProject } from '../util/paths.js';

export interface CheckOptions {
  /** Project folder. @default the bundled reference backend */
  readonly path?: string;
  /** Findings at or above this severity fail the run. @default 'warning' */
  readonly failOn?: Severity;
}

export interface CheckOutcome {
  readonly report: CheckReport;
  /** Undefined when the project could not be analyzed: the rules that compare files with the app did not run. */
  readonly model: ProjectModel | undefined;
  /** Why the project could not be analyzed. */
  readonly analyzeError: string | undefined;
  readonly failed: boolean;
}

/** Lints the Dockerfile, .dockerignore and Kubernetes manifests, alone and against the app. */
export async function check(options: CheckOptions = {}): Promise<CheckOutcome> {
  const dir = options.path ?? exampleProject;
  if (!(await isDirectory(dir))) {
    throw new ProjectError(`${dir} is not a folder`, {
      fix: 'give the project folder that holds the Dockerfile',
    });
  }
  let model: ProjectModel | undefined;
  let analyzeError: string | undefined;
  try {
    // A stale lock is a finding (SLW-P006) here, not an error.
    model = await analyzeProject(dir, { allowStaleLock: true });
  } catch (error) {
    // Files written by hand can be checked without an app slipway understands; the report says
    // which rules could not run and why.
    if (!(error instanceof ProjectError)) throw error;
    analyzeError = error.message;
  }
  const report = model ? await checkModel(model) : await checkProject(dir);
  return { report, model, analyzeError, failed: failsAt(report.findings, options.failOn ?? 'warning') };
}

import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { checkModel, checkProject } from '../check/project.js';
import type { CheckReport } from '../check/types.js';
import { hasContainerFiles } from '../dockerfile/discover.js';
import { ProjectError } from '../errors.js';
import { failsAt, type Severity } from '../result.js';
import { type ProjectLocation, projectDir } from '../util/paths.js';

export interface CheckOptions extends ProjectLocation {
  /** Findings at or above this severity fail the run. @default 'warning' */
  readonly failOn?: Severity;
  /** Kubernetes version (MAJOR.MINOR) whose Pod Security Standards apply. @default '1.35' */
  readonly kubeVersion?: string;
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
  // Files written by hand can be checked without a pyproject.toml beside them.
  const dir = projectDir(options, { verb: 'check', accept: hasContainerFiles });
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
  const kube = options.kubeVersion ? { kubeVersion: options.kubeVersion } : {};
  const report = model ? await checkModel(model, kube) : await checkProject(dir, kube);
  return { report, model, analyzeError, failed: failsAt(report.findings, options.failOn ?? 'warning') };
}

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import {
  checkChart,
  checkManifestFolder,
  checkSourceFile,
  holdsManifests,
  readSourceFile,
} from '../check/inputs.js';
import { checkModel, checkProject, prefetchOverlays } from '../check/project.js';
import type { CheckReport } from '../check/types.js';
import { hasContainerFiles } from '../dockerfile/discover.js';
import { ProjectError } from '../errors.js';
import { isChart } from '../kube/helm.js';
import type { PodSecurityLevel } from '../kube/pod-security-level.js';
import { failsAt, type Severity } from '../result.js';
import { isFile } from '../util/fs.js';
import { type ProjectLocation, projectDir } from '../util/paths.js';

export interface CheckOptions extends ProjectLocation {
  /** Findings at or above this severity fail the run. @default 'warning' */
  readonly failOn?: Severity;
  /** Kubernetes version (MAJOR.MINOR) whose Pod Security Standards apply. @default '1.35' */
  readonly kubeVersion?: string;
  /**
   * The Pod Security level that judges every pod: `privileged` runs no Pod Security rule,
   * `baseline` only the baseline controls' rules.
   * @default the enforce label of the pod's Namespace among the manifests, else 'restricted'
   */
  readonly podSecurityLevel?: PodSecurityLevel;
  /** What `-` stands for: a Dockerfile or manifests read from standard input. */
  readonly stdin?: string;
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
  const failOn = options.failOn ?? 'warning';
  const alone = (report: CheckReport): CheckOutcome => ({
    report,
    model: undefined,
    analyzeError: undefined,
    failed: failsAt(report.findings, failOn),
  });
  const choice = {
    ...(options.kubeVersion ? { kubeVersion: options.kubeVersion } : {}),
    ...(options.podSecurityLevel ? { podSecurityLevel: options.podSecurityLevel } : {}),
  };
  // Not a project: one Dockerfile or manifest file, standard input, or a folder of manifests.
  if (options.path === '-') {
    return alone(checkSourceFile({ path: '<stdin>', text: options.stdin ?? '' }, choice));
  }
  if (options.path !== undefined && !options.example && isFile(options.path)) {
    return alone(checkSourceFile(readSourceFile(options.path), choice));
  }
  const folder = resolve(options.path ?? '.');
  // A Helm chart: rendered with real helm, its objects checked like any manifests.
  if (!options.example && isChart(folder)) return alone(await checkChart(folder, choice));
  if (!options.example && isManifestFolder(folder)) return alone(await checkManifestFolder(folder, choice));
  // Files written by hand can be checked without a pyproject.toml beside them.
  const dir = projectDir(options, { verb: 'check', accept: hasContainerFiles });
  let model: ProjectModel | undefined;
  let analyzeError: string | undefined;
  // kustomize renders the overlays while the project is analyzed.
  prefetchOverlays(dir);
  try {
    // A stale lock is a finding (SLW-P006) here, not an error.
    model = await analyzeProject(dir, { allowStaleLock: true });
  } catch (error) {
    // Files written by hand can be checked without an app slipway understands; the report says
    // which rules could not run and why.
    if (!(error instanceof ProjectError)) throw error;
    analyzeError = error.message;
  }
  const report = model ? await checkModel(model, choice) : await checkProject(dir, choice);
  return { report, model, analyzeError, failed: failsAt(report.findings, failOn) };
}

/** A folder with manifests and nothing of a project (no pyproject.toml, Dockerfile or deploy/k8s). */
function isManifestFolder(dir: string): boolean {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
  if (existsSync(join(dir, 'pyproject.toml')) || hasContainerFiles(dir)) return false;
  return holdsManifests(dir);
}

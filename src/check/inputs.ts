import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isDockerfileName } from '../dockerfile/discover.js';
import { ProjectError } from '../errors.js';
import { requireHelm } from '../kube/helm.js';
import { chartManifestSet } from '../kube/helm-chart.js';
import { manifestSet } from '../kube/objects.js';
import type { SourceFile } from '../result.js';
import { isFile } from '../util/fs.js';
import { type CheckProjectOptions, checkProject } from './project.js';
import { checkFiles } from './runner.js';
import type { CheckReport } from './types.js';

/**
 * `slipway check` on what is not a project: one Dockerfile, one manifest file, a folder of plain
 * (or Kustomize) manifests, or `-` for standard input. The rules that compare files with the app
 * need a project and do not run; everything else does.
 */

/** A Dockerfile says so in its first instruction; anything else is read as YAML manifests. */
function looksLikeDockerfile(file: SourceFile): boolean {
  if (isDockerfileName(basename(file.path))) return true;
  const first = file.text.split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  return /^\s*(FROM|ARG)\s/i.test(first ?? '');
}

/** What judges the manifests: the Kubernetes version and, when chosen, the Pod Security level. */
export type PodSecurityChoice = Pick<CheckProjectOptions, 'kubeVersion' | 'podSecurityLevel'>;

/** One file, given by path or read from standard input (`name` is what findings call it). */
export function checkSourceFile(file: SourceFile, choice: PodSecurityChoice = {}): CheckReport {
  const version = choice.kubeVersion ? { kubeVersion: choice.kubeVersion } : {};
  if (looksLikeDockerfile(file)) return checkFiles({ dockerfiles: [file], manifests: [], ...version });
  const set = manifestSet(file.path, [file], { podSecurityLevel: choice.podSecurityLevel });
  if (set.objects.length === 0) {
    throw new ProjectError(`${file.path} holds neither a Dockerfile nor a Kubernetes object`, {
      fix: 'give a Dockerfile, a manifest file, a folder of manifests or a project folder',
    });
  }
  return checkFiles({ dockerfiles: [], manifests: [set], ...version });
}

/** Whether a folder holds YAML files at its top (plain manifests, or a kustomization.yaml). */
export function holdsManifests(dir: string): boolean {
  return readdirSync(dir, { withFileTypes: true }).some(
    (entry) => entry.isFile() && /\.ya?ml$/.test(entry.name),
  );
}

/** A folder of manifests, Kustomize overlays rendered; no objects at all is a usage problem. */
export async function checkManifestFolder(dir: string, choice: PodSecurityChoice = {}): Promise<CheckReport> {
  const report = await checkProject(dir, { ...choice, manifestsDir: '.' });
  if (report.files.length === 0) {
    throw new ProjectError(`${dir} holds no Kubernetes objects and no Dockerfile: nothing to check`, {
      fix: 'give a project folder, a folder of manifests, a manifest file or a Dockerfile',
    });
  }
  return report;
}

/**
 * A Helm chart folder (a Chart.yaml), rendered with real `helm template` and its default values;
 * findings name the chart's template files (`<chart>/templates/deployment.yaml`).
 */
export async function checkChart(dir: string, choice: PodSecurityChoice = {}): Promise<CheckReport> {
  const helm = await requireHelm(`it renders the chart ${dir} to check it`);
  const set = await chartManifestSet(helm, dir, {
    shown: basename(dir),
    ...(choice.kubeVersion ? { kubeVersion: choice.kubeVersion } : {}),
  });
  if (set.objects.length === 0) {
    throw new ProjectError(`helm template ${dir} renders no Kubernetes object: nothing to check`, {
      fix: 'give a chart whose templates render objects with its default values',
    });
  }
  const level = choice.podSecurityLevel ? { podSecurityLevel: choice.podSecurityLevel } : {};
  const version = choice.kubeVersion ? { kubeVersion: choice.kubeVersion } : {};
  const report = checkFiles({ dockerfiles: [], manifests: [{ ...set, ...level }], ...version });
  return { ...report, notes: [`${basename(dir)} rendered with helm template`, ...(report.notes ?? [])] };
}

export function readSourceFile(path: string): SourceFile {
  if (!isFile(path)) throw new ProjectError(`${path} is not a file`, { fix: 'give a file or a folder' });
  return { path: basename(path), text: readFileSync(path, 'utf8') };
}

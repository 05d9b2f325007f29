import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import type { ProjectModel } from '../analyze/model.js';
import { ProjectError } from '../errors.js';
import { resourceName } from '../generate/index.js';
import { projectCharts, runHelm } from '../kube/helm.js';
import { record } from '../kube/objects.js';
import { type AppliedObject, applyError, changedPaths, comparable, header } from './apply.js';
import { type Cluster, isNotFound } from './cluster.js';
import type { Manifest } from './manifests.js';
import type { RemovedObject } from './prune.js';

/**
 * `slipway deploy --helm`: the project's chart (deploy/helm/<name>/) installed or upgraded as a
 * Helm release with the image slipway built, through real helm; slipway reads the cluster before
 * and after to say what changed, and watches the rollout itself (helm's --wait stays off).
 */

/** One release of the project's chart on one cluster context and namespace. */
export interface HelmRelease {
  readonly helm: string;
  /** The chart folder. */
  readonly chart: string;
  /** The chart as the output names it, relative to the project. */
  readonly shown: string;
  readonly release: string;
  readonly namespace: string;
  readonly context: string;
  readonly kubeconfig?: string;
}

/** What `helm upgrade --install` reported. */
export interface HelmOutcome {
  readonly release: string;
  readonly chart: string;
  /** The release's revision: 1 for an install, then one more per upgrade. */
  readonly revision: number;
  readonly status: string;
}

/** The chart `init --with helm` wrote (deploy/helm/<name>/), or the project's only chart. */
export function projectChart(model: ProjectModel): string {
  const charts = projectCharts(model.root);
  const named = charts.find((chart) => chart === join(model.root, 'deploy', 'helm', resourceName(model)));
  const chart = named ?? (charts.length === 1 ? charts[0] : undefined);
  if (!chart) {
    throw new ProjectError(
      charts.length === 0
        ? `--helm: no chart in ${join(model.root, 'deploy', 'helm')} (a folder with Chart.yaml)`
        : `--helm: ${charts.length} charts in deploy/helm and none named ${resourceName(model)}`,
      {
        fix: `slipway init ${model.root} --with kustomize,helm   (writes deploy/helm/${resourceName(model)})`,
      },
    );
  }
  return chart;
}

export function releaseOf(
  model: ProjectModel,
  target: Omit<HelmRelease, 'chart' | 'shown' | 'release'>,
): HelmRelease {
  const chart = projectChart(model);
  return { ...target, chart, shown: relative(model.root, chart), release: resourceName(model) };
}

/** `registry/name:tag` split at the tag; a `:` in a registry's port is not a tag. */
function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(':');
  if (at < 0 || image.slice(at).includes('/')) return { repository: image, tag: '' };
  return { repository: image.slice(0, at), tag: image.slice(at + 1) };
}

/**
 * The values slipway sets: the image it built, the replicas asked for, and the namespace when
 * the chart's values name one (the generated chart writes it into every object).
 */
export function releaseValues(
  target: Pick<HelmRelease, 'chart' | 'namespace'>,
  image: string,
  replicas: number | undefined,
): string[] {
  const { repository, tag } = splitImage(image);
  const file = join(target.chart, 'values.yaml');
  const values = existsSync(file) ? (record(parse(readFileSync(file, 'utf8')) as unknown) ?? {}) : {};
  return [
    `image.repository=${repository}`,
    `image.tag=${tag}`,
    ...(replicas !== undefined ? [`replicas=${replicas}`] : []),
    ...('namespace' in values ? [`namespace=${target.namespace}`] : []),
  ];
}

function targetArgs(target: HelmRelease): string[] {
  return [
    '--namespace',
    target.namespace,
    '--kube-context',
    target.context,
    ...(target.kubeconfig ? ['--kubeconfig', target.kubeconfig] : []),
  ];
}

/** `--set-string` keeps a tag such as 1.10 a string; replicas must stay a number. */
function setArgs(values: readonly string[]): string[] {
  return values.flatMap((value) => [value.startsWith('replicas=') ? '--set' : '--set-string', value]);
}

/** The objects the release will hold, rendered by `helm template` with the same values. */
export async function renderRelease(target: HelmRelease, values: readonly string[]): Promise<Manifest[]> {
  const text = await runHelm({
    helm: target.helm,
    args: ['template', target.release, target.chart, '--namespace', target.namespace, ...setArgs(values)],
    what: `helm template ${target.shown}`,
    fix: `correct the chart in ${target.shown} (\`helm lint ${target.shown}\` shows where)`,
  });
  return parseAllDocuments(text)
    .map((document) => record(document.toJS() as unknown))
    .filter((value): value is Manifest => value !== undefined && typeof value.kind === 'string')
    .map((object) => ({
      ...object,
      metadata: { ...(record(object.metadata) ?? {}), namespace: target.namespace },
    })) as Manifest[];
}

/** The Deployment of the release that runs the image, else a ProjectError naming what it runs. */
export function releaseDeployment(objects: readonly Manifest[], image: string, shown: string): Manifest {
  const deployments = objects.filter((object) => object.kind === 'Deployment');
  const runs = (object: Manifest) =>
    JSON.stringify((object.spec as { template?: unknown } | undefined)?.template ?? {}).includes(
      `"${image}"`,
    );
  const deployment = deployments.find(runs);
  if (!deployment) {
    const found = deployments.map((d) => `Deployment/${d.metadata?.name}`).join(', ') || 'no Deployment';
    throw new ProjectError(
      `the chart ${shown} renders ${found} running another image than ${image} with image.repository and image.tag set`,
      {
        fix: `make the Deployment's container image "{{ .Values.image.repository }}:{{ .Values.image.tag }}" in ${shown}/templates`,
      },
    );
  }
  return deployment;
}

async function readLive(cluster: Cluster, object: Manifest): Promise<KubernetesObject | undefined> {
  try {
    return await cluster.objects.read(header(object));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw applyError(`reading ${object.kind}/${object.metadata?.name}`, error);
  }
}

/**
 * `helm upgrade --install` (`--dry-run=server` for a dry run); each object of the release read
 * before and after, to say what was created, what changed and what stayed.
 */
export async function upgradeInstall(
  cluster: Cluster,
  target: HelmRelease,
  objects: readonly Manifest[],
  values: readonly string[],
  dryRun: boolean,
): Promise<{ helm: HelmOutcome; applied: AppliedObject[] }> {
  const before = await Promise.all(objects.map((object) => readLive(cluster, object)));
  const stdout = await runHelm({
    helm: target.helm,
    args: [
      'upgrade',
      '--install',
      target.release,
      target.chart,
      ...targetArgs(target),
      ...setArgs(values),
      ...(dryRun ? ['--dry-run=server'] : []),
      '--output',
      'json',
    ],
    what: `helm upgrade --install ${target.release} ${target.shown}`,
    fix: `\`helm status ${target.release} --namespace ${target.namespace}\` shows the release; objects of the same names applied without helm (slipway deploy without --helm) must be removed first: slipway undeploy`,
    timeoutMs: 300_000,
  });
  const answer = JSON.parse(stdout) as { version?: number; info?: { status?: string } };
  const applied: AppliedObject[] = [];
  for (const [index, object] of objects.entries()) {
    const previous = before[index];
    const after = dryRun ? previous : await readLive(cluster, object);
    const changes = previous && after ? changedPaths(comparable(previous), comparable(after)) : [];
    applied.push({
      kind: object.kind ?? '?',
      name: object.metadata?.name ?? '?',
      action: !previous ? 'created' : changes.length > 0 ? 'configured' : 'unchanged',
      changes,
    });
  }
  return {
    helm: {
      release: target.release,
      chart: target.shown,
      revision: answer.version ?? 0,
      status: answer.info?.status ?? 'unknown',
    },
    applied,
  };
}

/** `helm uninstall` of the release; what it held is read from `helm get manifest` first. */
export async function uninstallRelease(target: HelmRelease, dryRun: boolean): Promise<RemovedObject[]> {
  const what = `helm uninstall ${target.release}`;
  const fix = `\`helm list --namespace ${target.namespace}\` lists the releases there`;
  const manifest = await runHelm({
    helm: target.helm,
    args: ['get', 'manifest', target.release, ...targetArgs(target)],
    what: `helm get manifest ${target.release}`,
    fix,
  }).catch((error: unknown) => {
    // No such release: nothing to remove, as undeploy says for an empty namespace.
    if (error instanceof ProjectError && /release: not found/.test(error.message)) return undefined;
    throw error;
  });
  if (manifest === undefined) return [];
  await runHelm({
    helm: target.helm,
    args: ['uninstall', target.release, ...targetArgs(target), ...(dryRun ? ['--dry-run'] : [])],
    what,
    fix,
    timeoutMs: 300_000,
  });
  return parseAllDocuments(manifest)
    .map((document) => record(document.toJS() as unknown))
    .filter((value): value is Record<string, unknown> => value !== undefined)
    .map((object) => ({ kind: String(object.kind), name: String(record(object.metadata)?.name) }));
}

import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { ProjectModel } from '../analyze/model.js';
import { type Adoption, adoption } from './adoption.js';
import { buildContext, generatedImageFiles } from './index.js';
import { chosenOutputs, type OutputName, outputFiles } from './outputs.js';
import { type FilePlan, planWrite, renderDiff, withMarker, writeFiles } from './write.js';

export type { Adoption } from './adoption.js';
export type { OutputName } from './outputs.js';

export interface InitFilesOptions {
  /** Overwrite files edited by hand. @default false */
  readonly force?: boolean;
  /** Show what would change; write nothing. @default false */
  readonly dryRun?: boolean;
  /** Include unified diffs of changed and conflicting files. @default false */
  readonly diff?: boolean;
  /**
   * What to write besides the image files: `kustomize`, `helm`, `github`, as a list or a comma
   * list (`kustomize,helm`). @default [tool.slipway] outputs, which defaults to kustomize
   */
  readonly with?: string | readonly string[];
}

export interface InitOutcome {
  readonly model: ProjectModel;
  readonly plan: readonly FilePlan[];
  /** Paths written, relative to the project root; empty on a dry run. */
  readonly written: readonly string[];
  /** Unified diffs, when asked for. */
  readonly diff: string | undefined;
  /** True when the files on disk already match what would be generated. */
  readonly upToDate: boolean;
  /** The project's own Dockerfile, kept: what the manifests follow, where slipway's would differ. */
  readonly adopted: Adoption | undefined;
  /** The outputs written (besides the image files), in the order chosen. */
  readonly outputs: readonly OutputName[];
  /** True when `outputs` is not what [tool.slipway] outputs says (a --with of this run only). */
  readonly outputsDifferFromConfig: boolean;
}

/**
 * The files init writes: around a Dockerfile of the project's own, everything but a Dockerfile
 * (their .dockerignore, too, is kept); with --force, slipway's own Dockerfile as well.
 */
function filesFor(
  model: ProjectModel,
  force: boolean,
  outputs: readonly OutputName[],
): Record<string, string> {
  const files = outputFiles(model, outputs);
  return force && model.dockerfile?.origin === 'own' ? { ...files, ...generatedImageFiles(model) } : files;
}

/** Their Dockerfile in the plan: kept, with slipway's in `next` for the diff. */
function keptDockerfile(model: ProjectModel): FilePlan | undefined {
  const choice = model.dockerfile;
  if (choice?.origin !== 'own') return undefined;
  const path = relative(model.root, choice.path).split(sep).join('/');
  return {
    path,
    action: 'keep',
    reason: 'your Dockerfile',
    current: readFileSync(choice.path, 'utf8'),
    next: withMarker(generatedImageFiles(model).Dockerfile ?? ''),
  };
}

/**
 * Writes the Dockerfile, .dockerignore and the chosen outputs (deploy/k8s, the Helm chart, the CI
 * workflow) from the ProjectModel and [tool.slipway].
 */
export async function initFiles(model: ProjectModel, options: InitFilesOptions = {}): Promise<InitOutcome> {
  // An unknown output name is refused before anything is read or written.
  const outputs = chosenOutputs(model, options.with);
  // Several Dockerfiles and nothing naming one: the manifests cannot know which image to follow.
  buildContext(model);
  const force = options.force ?? false;
  const files = filesFor(model, force, outputs);
  const done = (plan: readonly FilePlan[], written: readonly string[], diff: string | undefined) =>
    outcome(model, plan, written, diff, outputs);
  const kept = force ? undefined : keptDockerfile(model);
  const withKept = (plan: readonly FilePlan[]) =>
    kept && !plan.some((file) => file.path === kept.path) ? [...plan, kept].sort(byPath) : plan;
  // --diff alone plans and shows; it never writes.
  if (options.diff && !force && !options.dryRun) {
    const plan = withKept(await planWrite(model.root, files, { keepOwn: true }));
    return done(plan, [], renderDiff(plan));
  }
  const result = await writeFiles(model.root, files, {
    force,
    dryRun: options.dryRun ?? false,
    keepOwn: true,
  });
  const plan = withKept(result.plan);
  return done(plan, result.written, options.diff ? renderDiff(plan) : undefined);
}

function byPath(a: FilePlan, b: FilePlan): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function outcome(
  model: ProjectModel,
  plan: readonly FilePlan[],
  written: readonly string[],
  diff: string | undefined,
  outputs: readonly OutputName[],
): InitOutcome {
  const configured = model.config.outputs;
  return {
    model,
    plan,
    written,
    diff,
    upToDate: plan.every((file) => file.action === 'unchanged' || file.action === 'keep'),
    adopted: adoption(model),
    outputs,
    outputsDifferFromConfig:
      outputs.length !== configured.length || outputs.some((name) => !configured.includes(name)),
  };
}

export interface RefreshOutcome {
  /** Files edited by hand: kept as they are, judged as they are. */
  readonly kept: readonly string[];
  readonly written: readonly string[];
  /** One line for a summary. */
  readonly summary: string;
}

/**
 * Brings the generated files up to date before a build (what `ship` does): missing or stale
 * generated files are written around the project's own files, which are kept; a generated file
 * edited by hand wins and nothing is written at all, so that check and verify judge the project
 * as its owner left it.
 */
export async function refreshGenerated(model: ProjectModel): Promise<RefreshOutcome> {
  // The outputs [tool.slipway] keeps: what `slipway init` with no --with writes.
  const outputs = chosenOutputs(model, undefined);
  buildContext(model);
  const files = outputFiles(model, outputs);
  const plan = await planWrite(model.root, files, { keepOwn: true });
  const own = [
    keptDockerfile(model)?.path,
    ...plan.filter((f) => f.action === 'keep').map((f) => f.path),
  ].filter((path) => path !== undefined);
  const ownNote = own.length > 0 ? `kept your ${own.join(', ')}; ` : '';
  const edited = plan.filter((file) => file.action === 'conflict').map((file) => file.path);
  if (edited.length > 0) {
    const kept = [...own, ...edited];
    return { kept, written: [], summary: `${ownNote}kept files edited by hand: ${edited.join(', ')}` };
  }
  if (!plan.some((file) => file.action === 'create' || file.action === 'update')) {
    return { kept: own, written: [], summary: `${ownNote}generated files are current` };
  }
  const { written } = await writeFiles(model.root, files, { keepOwn: true });
  return { kept: own, written, summary: `${ownNote}wrote ${written.join(', ')}` };
}

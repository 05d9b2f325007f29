import type { ProjectModel } from '../analyze/model.js';
import { generateFiles } from './index.js';
import { type FilePlan, planWrite, renderDiff, writeFiles } from './write.js';

export interface InitFilesOptions {
  /** Overwrite files edited by hand. @default false */
  readonly force?: boolean;
  /** Show what would change; write nothing. @default false */
  readonly dryRun?: boolean;
  /** Include unified diffs of changed and conflicting files. @default false */
  readonly diff?: boolean;
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
}

/** Writes the Dockerfile, .dockerignore and deploy/k8s from the ProjectModel and [tool.slipway]. */
export async function initFiles(model: ProjectModel, options: InitFilesOptions = {}): Promise<InitOutcome> {
  const files = generateFiles(model);
  // --diff alone plans and shows; it never writes.
  if (options.diff && !options.force && !options.dryRun) {
    const plan = await planWrite(model.root, files);
    return outcome(model, plan, [], renderDiff(plan));
  }
  const result = await writeFiles(model.root, files, {
    force: options.force ?? false,
    dryRun: options.dryRun ?? false,
  });
  return outcome(model, result.plan, result.written, options.diff ? renderDiff(result.plan) : undefined);
}

function outcome(
  model: ProjectModel,
  plan: readonly FilePlan[],
  written: readonly string[],
  diff: string | undefined,
): InitOutcome {
  return { model, plan, written, diff, upToDate: plan.every((file) => file.action === 'unchanged') };
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
 * generated files are written; a file edited by hand wins and nothing is written at all, so that
 * check and verify judge the project as its owner left it.
 */
export async function refreshGenerated(model: ProjectModel): Promise<RefreshOutcome> {
  const files = generateFiles(model);
  const plan = await planWrite(model.root, files);
  const kept = plan.filter((file) => file.action === 'conflict').map((file) => file.path);
  if (kept.length > 0) return { kept, written: [], summary: `kept files edited by hand: ${kept.join(', ')}` };
  if (!plan.some((file) => file.action === 'create' || file.action === 'update')) {
    return { kept, written: [], summary: 'generated files are current' };
  }
  const { written } = await writeFiles(model.root, files);
  return { kept, written, summary: `wrote ${written.join(', ')}` };
}

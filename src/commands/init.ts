import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { generateFiles } from '../generate/index.js';
import { type FilePlan, planWrite, renderDiff, writeFiles } from '../generate/write.js';
import { exampleProject } from '../util/paths.js';

export interface InitOptions {
  /** Project folder. @default the bundled reference backend */
  readonly path?: string;
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
export async function init(options: InitOptions = {}): Promise<InitOutcome> {
  const model = await analyzeProject(options.path ?? exampleProject);
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

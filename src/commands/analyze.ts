import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { exampleProject } from '../util/paths.js';

export interface AnalyzeOptions {
  /** Project folder. @default the bundled reference backend */
  readonly path?: string;
}

/** Reads a project into a ProjectModel; never runs the app, never writes. */
export async function analyze(options: AnalyzeOptions = {}): Promise<ProjectModel> {
  return analyzeProject(options.path ?? exampleProject);
}

import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { type ProjectLocation, projectDir } from '../util/paths.js';

export interface AnalyzeOptions extends ProjectLocation {}

/** Reads a project into a ProjectModel; never runs the app, never writes. */
export async function analyze(options: AnalyzeOptions = {}): Promise<ProjectModel> {
  return analyzeProject(projectDir(options, { verb: 'analyze' }));
}

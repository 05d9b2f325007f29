import { analyzeProject } from '../analyze/index.js';
import { type InitFilesOptions, type InitOutcome, initFiles } from '../generate/init.js';
import { type ProjectLocation, projectDir } from '../util/paths.js';

export type { InitOutcome } from '../generate/init.js';

export interface InitOptions extends InitFilesOptions, ProjectLocation {}

/**
 * Writes the Dockerfile, .dockerignore and the outputs `with` names (else [tool.slipway] outputs:
 * deploy/k8s by default) from the ProjectModel and [tool.slipway].
 */
export async function init(options: InitOptions = {}): Promise<InitOutcome> {
  return initFiles(await analyzeProject(projectDir(options, { verb: 'init' })), options);
}

import { analyzeProject } from '../analyze/index.js';
import { type BuildImageOptions, type BuildOutcome, buildImage } from '../build/image.js';
import { detectEngine } from '../engines/detect.js';
import { type ProjectLocation, projectDir } from '../util/paths.js';

export type { BuildOutcome } from '../build/image.js';

export interface BuildOptions extends BuildImageOptions, ProjectLocation {
  /** docker or podman. @default detect */
  readonly engine?: string;
}

/** Analyzes the project and builds its Dockerfile with the detected (or named) engine. */
export async function build(options: BuildOptions = {}): Promise<BuildOutcome> {
  const model = await analyzeProject(projectDir(options, { verb: 'build' }));
  const { engine } = await detectEngine(options.engine);
  return buildImage(model, engine, options);
}

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeProject } from '../src/analyze/index.js';
import { dockerfile } from '../src/generate/dockerfile.js';
import type { BaseName } from '../src/generate/dockerfile-bases.js';

/**
 * The Dockerfile slipway writes for the backend in `dir` with `[tool.slipway] base = base`, put in
 * place of the committed one: the recipe is the generator's output, not a copy that could drift.
 */
export async function writeGeneratedDockerfile(dir: string, base: BaseName): Promise<void> {
  const model = await analyzeProject(dir);
  await writeFile(join(dir, 'Dockerfile'), dockerfile({ ...model, config: { ...model.config, base } }));
}

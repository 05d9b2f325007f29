import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeProject } from '../src/analyze/index.js';
import { dockerfile } from '../src/generate/dockerfile.js';
import type { BaseName } from '../src/generate/dockerfile-bases.js';

const BYTECODE_ON = 'UV_COMPILE_BYTECODE=1';

/**
 * The Dockerfile slipway writes for the backend in `dir` with `[tool.slipway] base = base`, put in
 * place of the committed one: the recipe is the generator's output, not a copy that could drift.
 * `bytecode: false` turns uv's bytecode compilation off in it (and fails if the generator no
 * longer turns it on the way this expects).
 */
export async function writeGeneratedDockerfile(
  dir: string,
  base: BaseName,
  options: { readonly bytecode?: boolean } = {},
): Promise<void> {
  const model = await analyzeProject(dir);
  let text = dockerfile({ ...model, config: { ...model.config, base } });
  if (options.bytecode === false) {
    if (!text.includes(BYTECODE_ON))
      throw new Error(`the generated Dockerfile has no ${BYTECODE_ON} to turn off`);
    text = text.replaceAll(BYTECODE_ON, 'UV_COMPILE_BYTECODE=0');
  }
  await writeFile(join(dir, 'Dockerfile'), text);
}

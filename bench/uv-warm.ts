import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerEngine } from '../src/engines/engine.js';
import { DEFAULT_PYTHON_VERSION, pythonImage, UV_IMAGE } from '../src/pins.js';
import type { Cleanup } from './cleanup.js';
import { BuildContext, type DepFiles } from './workspace.js';

/** What the warm-up did, for the report. */
export interface UvWarmup {
  /** Dependency sets installed through the cache mount: the committed lock, then each variant. */
  readonly sets: number;
  readonly ms: number;
}

/**
 * The cache mount every uv recipe here uses: `--mount=type=cache,target=/root/.cache/uv` with no
 * id, so BuildKit shares it by that path across all builds (slipway's, both slipway variants,
 * multistage-uv).
 */
export const UV_CACHE_MOUNT = '--mount=type=cache,target=/root/.cache/uv';

/**
 * Whether a recipe's Dockerfile uses uv's cache mount, and then only the shared one: a mount of
 * the same path with its own id (or `sharing=private`) would not see the warm-up, and the
 * build rows would no longer start from the same cache.
 */
export function usesSharedUvCache(recipe: string, dockerfile: string): boolean {
  const mounts = dockerfile.match(/--mount=type=cache,\S*target=\/root\/\.cache\/uv\S*/g) ?? [];
  const other = mounts.filter((mount) => mount !== UV_CACHE_MOUNT);
  if (other.length > 0) {
    throw new Error(
      `${recipe}: uv cache mount '${other[0]}' is not the shared '${UV_CACHE_MOUNT}' the bench warms`,
    );
  }
  return mounts.length > 0;
}

/**
 * Fills uv's shared cache mount with every dependency set the measurements will install (the
 * committed lock and each repetition's `six` variant, the project's build backend uv_build too)
 * before anything is measured, in throwaway `--no-cache` builds that always run their RUN step.
 * Without it the recipe built first in a repetition downloads the variant and the uv recipes
 * after it take it from the cache. The builds are not measured; their images are removed.
 */
export async function warmUvCache(
  engine: ContainerEngine,
  cleanup: Cleanup,
  backend: string,
  scratch: string,
  sets: readonly DepFiles[],
): Promise<UvWarmup> {
  const tag = `slipway-bench/uv-warm:${process.pid}`;
  const images = new Set<string>();
  cleanup.add(`${tag} and its earlier builds`, () => engine.removeImages([tag, ...images]));
  const dockerfile = join(scratch, 'uv-warm.Dockerfile');
  await writeFile(
    dockerfile,
    [
      `FROM ${pythonImage(DEFAULT_PYTHON_VERSION)}`,
      `COPY --from=${UV_IMAGE} /uv /bin/uv`,
      'ENV UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=0',
      'WORKDIR /app',
      'COPY . /app',
      `RUN ${UV_CACHE_MOUNT} uv sync --locked --no-dev --no-editable`,
      '',
    ].join('\n'),
  );
  const context = await BuildContext.create(backend, join(scratch, 'uv-warm'), false);
  const started = performance.now();
  for (const deps of sets) {
    await context.setDependencies(deps);
    const result = await engine.build({ context: context.dir, dockerfile, tags: [tag], noCache: true });
    images.add(result.imageId);
  }
  return { sets: sets.length, ms: performance.now() - started };
}

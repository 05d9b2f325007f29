import { join } from 'node:path';
import { BuildProgress } from '../src/build/progress.js';
import type { ContainerEngine } from '../src/engines/engine.js';
import type { Cleanup } from './cleanup.js';
import type { Recipe } from './recipes.js';
import type { BuildContext } from './workspace.js';

export interface TimedBuild {
  readonly ms: number;
  /** Whether the recipe's dependency-install step came from the layer cache. */
  readonly depsCached: boolean;
}

/** Builds one recipe from its context under the bench's own tag; every image it made is removed at the end. */
export class RecipeBuilder {
  readonly tag: string;
  private readonly dockerfile: string;
  private readonly images = new Set<string>();

  constructor(
    private readonly engine: ContainerEngine,
    readonly recipe: Recipe,
    readonly context: BuildContext,
    benchDir: string,
    cleanup: Cleanup,
  ) {
    this.tag = `slipway-bench/${recipe.name}:${process.pid}`;
    this.dockerfile = recipe.dockerfile ? join(benchDir, recipe.dockerfile) : join(context.dir, 'Dockerfile');
    // Each rebuild under the same tag leaves the previous image untagged: remove those by id too.
    cleanup.add(`${this.tag} and its earlier builds`, () => engine.removeImages([this.tag, ...this.images]));
  }

  /**
   * Wall time of `docker buildx build --load`, as a user waits for it. `noCache` re-runs every
   * step; BuildKit cache mounts (uv's download cache) are not cleared by it.
   */
  async build(noCache: boolean): Promise<TimedBuild> {
    const progress = new BuildProgress();
    const started = performance.now();
    const result = await this.engine.build({
      context: this.context.dir,
      dockerfile: this.dockerfile,
      tags: [this.tag],
      noCache,
      onProgress: (line) => progress.feed(line),
    });
    const ms = performance.now() - started;
    this.images.add(result.imageId);
    const step = progress.userSteps().find((candidate) => candidate.name.includes(this.recipe.depsStep));
    if (!step) throw new Error(`${this.recipe.name}: no build step runs '${this.recipe.depsStep}'`);
    return { ms, depsCached: step.status === 'cached' };
  }
}

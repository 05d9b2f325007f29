import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerEngine } from '../src/engines/engine.js';
import { DEFAULT_PYTHON_VERSION, pythonImage, UV_IMAGE } from '../src/pins.js';
import { BENCH_LABEL, type Cleanup } from './cleanup.js';

const UV_TIMEOUT_MS = 180_000;

/**
 * uv of the pinned version, run in a container (the host may have no uv, or another version):
 * locks and exports dependency variants of the backend. Runs against the package index, as the
 * builds themselves do.
 */
export class UvTool {
  private constructor(
    private readonly engine: ContainerEngine,
    private readonly image: string,
  ) {}

  static async create(engine: ContainerEngine, cleanup: Cleanup, scratch: string): Promise<UvTool> {
    const image = `slipway-bench/uv-tool:${process.pid}`;
    await writeFile(
      join(scratch, 'Dockerfile'),
      `FROM ${pythonImage(DEFAULT_PYTHON_VERSION)}\nCOPY --from=${UV_IMAGE} /uv /bin/uv\n`,
    );
    cleanup.add(image, () => engine.removeImages([image]));
    await engine.build({ context: scratch, tags: [image] });
    return new UvTool(engine, image);
  }

  /** The uv.lock that `uv lock` writes for this project folder. */
  lock(project: string): Promise<string> {
    return this.run(project, 'uv lock --quiet && cat uv.lock');
  }

  /** Pinned requirements of the runtime dependencies (not dev, not the project itself). */
  exportRequirements(project: string): Promise<string> {
    return this.run(project, 'uv export --frozen --no-dev --no-hashes --no-emit-project --quiet');
  }

  private async run(project: string, script: string): Promise<string> {
    // The engine mounts binds read-only: uv works on a copy inside the container.
    const result = await this.engine.runOnce(
      {
        image: this.image,
        binds: { [project]: '/in' },
        env: { UV_PYTHON_DOWNLOADS: 'never' },
        labels: { [BENCH_LABEL]: String(process.pid) },
        command: ['sh', '-c', `cp -r /in /tmp/p && cd /tmp/p && ${script}`],
      },
      UV_TIMEOUT_MS,
    );
    if (result.code !== 0) {
      throw new Error(`uv in a container failed (${script}, exit ${result.code}):\n${result.stderr.trim()}`);
    }
    return result.stdout;
  }
}

import type { ContainerEngine } from '../src/engines/engine.js';
import { BENCH_LABEL } from './cleanup.js';

/** Where the bytes of slipway's image are, from its layer history. */
export interface SizeSplit {
  readonly total: number;
  readonly base: number;
  /**
   * The environment's layers: the COPY of /app/.venv (the dependencies) and the COPY of the
   * project's own files from its stage (`COPY /project/ /`, the app installed as a wheel).
   */
  readonly venvLayer: number;
  /** The second of those: the project's files alone (0 when the Dockerfile has one venv layer). */
  readonly projectLayer: number;
  /** The app's own package inside the venv (part of venvLayer). */
  readonly app: number;
  /** The final stage's user-creation layer (part of overhead). */
  readonly userLayer: number;
  /** total − base − venvLayer: everything that is neither the base image nor the environment. */
  readonly overhead: number;
}

const SITE_PACKAGES = '/app/.venv/lib/python3*/site-packages';

export async function sizeSplit(
  engine: ContainerEngine,
  image: string,
  baseImage: string,
): Promise<SizeSplit> {
  const [info, base, layers] = await Promise.all([
    engine.inspectImage(image),
    engine.inspectImage(baseImage),
    engine.history(image),
  ]);
  if (!info || !base) throw new Error(`cannot inspect ${info ? baseImage : image}`);
  const venvLayers = layers.filter((layer) => /^COPY .*\/app\/\.venv/.test(layer.createdBy));
  if (venvLayers.length !== 1) {
    throw new Error(`${image}: expected one 'COPY … /app/.venv' layer, found ${venvLayers.length}`);
  }
  const projectLayers = layers.filter((layer) => /^COPY \/project\/ \//.test(layer.createdBy));
  if (projectLayers.length > 1) {
    throw new Error(`${image}: expected at most one 'COPY /project/ /' layer, found ${projectLayers.length}`);
  }
  const projectLayer = projectLayers[0]?.size ?? 0;
  const venvLayer = (venvLayers[0]?.size ?? 0) + projectLayer;
  const userLayer = layers
    .filter((layer) => layer.createdBy.includes('useradd'))
    .reduce((s, l) => s + l.size, 0);
  return {
    total: info.size,
    base: base.size,
    venvLayer,
    projectLayer,
    app: await appBytes(engine, image),
    userLayer,
    overhead: info.size - base.size - venvLayer,
  };
}

/**
 * Apparent size (as `du -sb` counts it: files, links and folders) of the project's package and its
 * dist-info, read inside the image with python: a distroless image has no shell and no du.
 */
const APP_BYTES = `
import glob, os
total = 0
for top in glob.glob('${SITE_PACKAGES}/inventory_api') + glob.glob('${SITE_PACKAGES}/inventory_api-*.dist-info'):
    for root, dirs, files in os.walk(top):
        for name in [root] + [os.path.join(root, f) for f in files]:
            total += os.lstat(name).st_size
print(total)
`;

async function appBytes(engine: ContainerEngine, image: string): Promise<number> {
  const result = await engine.runOnce(
    {
      image,
      entrypoint: 'python3',
      command: ['-c', APP_BYTES],
      labels: { [BENCH_LABEL]: String(process.pid) },
    },
    60_000,
  );
  const bytes = Number(result.stdout.trim());
  if (result.code !== 0 || !Number.isFinite(bytes) || bytes <= 0) {
    throw new Error(`measuring the app in ${image} failed: ${(result.stderr || result.stdout).trim()}`);
  }
  return bytes;
}

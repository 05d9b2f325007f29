import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ContainerEngine } from '../src/engines/engine.js';

const gzipped = promisify(gzip);

/**
 * What a registry stores and a node pulls: the sum of the image's layers, each gzip-compressed
 * (level 6, as `docker push` compresses them), read from `docker save`. A layer the archive
 * already holds compressed (an OCI layout from a containerd store) counts as it is.
 */
export async function compressedSize(engine: ContainerEngine, image: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-bench-save-'));
  try {
    const file = join(dir, 'image.tar');
    await engine.saveImage(image, file);
    const entries = tarEntries(await readFile(file));
    const manifest = entries.get('manifest.json');
    if (!manifest) throw new Error(`docker save ${image}: no manifest.json in the archive`);
    const [first] = JSON.parse(manifest.toString('utf8')) as { Layers: string[] }[];
    if (!first?.Layers?.length) throw new Error(`docker save ${image}: the manifest lists no layers`);
    let total = 0;
    for (const path of first.Layers) {
      const layer = entries.get(path);
      if (!layer) throw new Error(`docker save ${image}: layer ${path} is not in the archive`);
      const isGzip = layer[0] === 0x1f && layer[1] === 0x8b;
      total += isGzip ? layer.length : (await gzipped(layer, { level: 6 })).length;
    }
    return total;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The regular files of a tar archive by path (ustar and GNU long names; `docker save` writes both). */
export function tarEntries(tar: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    longName = undefined;
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '7') entries.set(name.replace(/^\.\//, ''), body);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

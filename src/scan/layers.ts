/**
 * Applies an image's layers in order, the way overlayfs does: a later entry replaces an earlier
 * one, `.wh.<name>` deletes `<name>` from the layers below, `.wh..wh..opq` empties its folder of
 * what the layers below put there. What a later layer hides is not gone: the earlier layer's tar
 * still carries it, so every entry of every layer is shown to the visitor, and what was hidden
 * is remembered with the layer that hid it.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { EnvironmentError } from '../errors.js';
import type { LayerLocation } from './archive.js';
import { readTar, type TarHeader } from './tar.js';

export interface ImageFile extends TarHeader {
  /** Index (0 = oldest) of the layer that holds this version of the file. */
  readonly layer: number;
  /** Bytes, for files the caller asked to keep. */
  readonly content?: Buffer;
}

export interface HiddenFile {
  readonly file: ImageFile;
  /** Layer whose whiteout or newer entry hid the file. */
  readonly hiddenBy: number;
  readonly how: 'deleted' | 'replaced';
}

export interface FileSystem {
  /** The final filesystem: what a container started from the image sees. */
  readonly files: ReadonlyMap<string, ImageFile>;
  readonly hidden: readonly HiddenFile[];
  readonly layerCount: number;
}

export interface LayerVisitor {
  /** Whether to read a file's bytes (for onFile), in any layer. */
  want(header: TarHeader, layer: number): boolean;
  onFile(file: ImageFile, content: Buffer | undefined): void;
}

export interface WalkOptions {
  /** Keep the bytes of these files in the final view (dpkg status, METADATA, os-release…). */
  readonly keep: (path: string) => boolean;
  readonly visitor?: LayerVisitor;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Layers are gzip, zstd or plain tar whatever their media type says: the first bytes tell. */
async function decompressorFor(file: string, layer: LayerLocation): Promise<Transform | undefined> {
  const handle = await open(file, 'r');
  const magic = Buffer.alloc(4);
  try {
    await handle.read(magic, 0, 4, layer.offset);
  } finally {
    await handle.close();
  }
  if (magic[0] === 0x1f && magic[1] === 0x8b) return zlib.createGunzip();
  if (magic.readUInt32LE(0) === 0xfd2fb528) {
    // zstd needs Node 22.15+; on older Node the layer cannot be read at all.
    const zstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
    if (!zstd)
      throw new EnvironmentError(`layer ${layer.path} is zstd-compressed; reading it needs Node >= 22.15`);
    return zstd();
  }
  return undefined;
}

function under(path: string, folder: string): boolean {
  return folder === '' || path.startsWith(`${folder}/`);
}

/** Walks every layer of an image archive, applying whiteouts; see the module comment. */
export async function walkLayers(
  file: string,
  layers: readonly LayerLocation[],
  options: WalkOptions,
): Promise<FileSystem> {
  const files = new Map<string, ImageFile>();
  const hidden: HiddenFile[] = [];
  const hide = (path: string, layer: number, how: HiddenFile['how']) => {
    const old = files.get(path);
    if (!old || old.layer >= layer) return;
    files.delete(path);
    // A folder declared again by a later layer hides nothing worth remembering.
    if (old.type !== 'dir') hidden.push({ file: old, hiddenBy: layer, how });
  };
  const hideUnder = (folder: string, layer: number, how: HiddenFile['how']) => {
    for (const path of [...files.keys()]) if (under(path, folder)) hide(path, layer, how);
  };

  for (const [index, layer] of layers.entries()) {
    const whiteouts: string[] = [];
    const opaque: string[] = [];
    const visitor = {
      want: (header: TarHeader) =>
        options.keep(header.path) || (options.visitor?.want(header, index) ?? false),
      onEntry: (header: TarHeader, content: Buffer | undefined) => {
        const base = posix.basename(header.path);
        const dir = posix.dirname(header.path) === '.' ? '' : posix.dirname(header.path);
        if (base === OPAQUE) return void opaque.push(dir);
        if (base.startsWith(WHITEOUT))
          return void whiteouts.push(posix.join(dir, base.slice(WHITEOUT.length)));
        const kept = content && options.keep(header.path) ? content : undefined;
        const entry: ImageFile = { ...header, layer: index, ...(kept ? { content: kept } : {}) };
        // A file or link where a lower layer had a folder hides everything the folder held.
        const below = files.get(header.path);
        if (header.type !== 'dir' && below?.type === 'dir' && below.layer < index) {
          hideUnder(header.path, index, 'replaced');
        }
        hide(header.path, index, 'replaced');
        files.set(header.path, entry);
        if (header.type === 'file' || header.type === 'hardlink') options.visitor?.onFile(entry, content);
      },
    };
    const source = createReadStream(file, { start: layer.offset, end: layer.offset + layer.size - 1 });
    const decompress = await decompressorFor(file, layer);
    await readTar(source, visitor, `layer ${layer.path} of ${file}`, decompress);
    // Whiteouts act on the layers below only, whatever their order inside this layer's tar.
    for (const path of whiteouts) {
      hide(path, index, 'deleted');
      hideUnder(path, index, 'deleted');
    }
    for (const dir of opaque) hideUnder(dir, index, 'deleted');
  }
  return { files, hidden, layerCount: layers.length };
}

/**
 * Applies an image's layers in order, the way overlayfs does: a later entry replaces an earlier
 * one, `.wh.<name>` deletes `<name>` from the layers below, `.wh..wh..opq` empties its folder of
 * what the layers below put there. What a later layer hides is not gone: the earlier layer's tar
 * still carries it, so every entry of every layer is shown to the visitor, and what was hidden
 * is remembered with the layer that hid it.
 */
import { posix } from 'node:path';
import type { LayerBlob } from './stream.js';
import type { TarHeader } from './tar.js';

export interface ImageFile extends TarHeader {
  /** Index (0 = oldest) of the layer that holds this version of the file. */
  readonly layer: number;
  /** Bytes, for files the caller asked to keep. */
  readonly content?: Buffer;
  /** SHA-256 of the bytes, when the read was asked to hash (`--files`). */
  readonly sha256?: string;
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

/** Sees every file of every layer as the archive streams past (the secret scanner). */
export interface LayerVisitor {
  /** Whether to read a file's bytes (for onFile), in any layer. */
  want(header: TarHeader, layer: number): boolean;
  /**
   * Whether a file whose first bytes (tar.ts HEAD_BYTES) are `head` is binary: the rest of a
   * wanted file is then not collected, and onFile gets `head` as its content.
   */
  isBinary?(head: Buffer): boolean;
  onFile(file: ImageFile, content: Buffer | undefined): void;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

function under(path: string, folder: string): boolean {
  return folder === '' || path.startsWith(`${folder}/`);
}

/** Applies the layers (oldest first) as read in the pass, whiteouts included; see the module comment. */
export function applyLayers(layers: readonly LayerBlob[]): FileSystem {
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
    for (const { header, content, sha256 } of layer.entries) {
      const base = posix.basename(header.path);
      const dir = posix.dirname(header.path) === '.' ? '' : posix.dirname(header.path);
      if (base === OPAQUE) {
        opaque.push(dir);
        continue;
      }
      if (base.startsWith(WHITEOUT)) {
        whiteouts.push(posix.join(dir, base.slice(WHITEOUT.length)));
        continue;
      }
      const entry: ImageFile = {
        ...header,
        layer: index,
        ...(content ? { content } : {}),
        ...(sha256 ? { sha256 } : {}),
      };
      // A file or link where a lower layer had a folder hides everything the folder held.
      const below = files.get(header.path);
      if (header.type !== 'dir' && below?.type === 'dir' && below.layer < index) {
        hideUnder(header.path, index, 'replaced');
      }
      hide(header.path, index, 'replaced');
      files.set(header.path, entry);
    }
    // Whiteouts act on the layers below only, whatever their order inside this layer's tar.
    for (const path of whiteouts) {
      hide(path, index, 'deleted');
      hideUnder(path, index, 'deleted');
    }
    for (const dir of opaque) hideUnder(dir, index, 'deleted');
  }
  return { files, hidden, layerCount: layers.length };
}

/**
 * Reads an image the way it is shipped: the engine's `image save` archive, in one pass as it
 * streams out of the engine (stream.ts), so the read costs little more than the save itself.
 * Reading the archive, not a running container, is what lets a scan see deleted files.
 *
 * The same stream is also written to a private temp file: a second read of the same image id in
 * this process (`ship` scans in its verify step and again) reads that file instead of saving
 * the image again. The folder is removed when the process exits (or by forgetSavedImages). A
 * save can also be started before the read (prefetchImage), so that the engine's slow start
 * overlaps the scanner's own.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ContainerEngine } from '../engines/engine.js';
import { EnvironmentError } from '../errors.js';
import { type ImageArchive, layersOf, resolveArchive } from './archive.js';
import { applyLayers, type FileSystem } from './layers.js';
import { readStream, type StreamOptions } from './stream.js';

export interface ScannedImage {
  readonly ref: string;
  readonly archive: ImageArchive;
  readonly fs: FileSystem;
  /** The layer indexes (0 = oldest) of the blob the visitor was told as `layer` in the pass. */
  readonly layersOfBlob: (blob: number) => readonly number[];
}

async function read(
  ref: string,
  source: Readable,
  what: string,
  options: StreamOptions,
): Promise<ScannedImage> {
  const streamed = await readStream(source, what, options);
  const archive = resolveArchive(streamed, what);
  const layers = layersOf(streamed, archive, what);
  const fs = applyLayers(layers);
  const indexes = (blob: number) => layers.flatMap((layer, index) => (layer.ordinal === blob ? [index] : []));
  return { ref, archive, fs, layersOfBlob: indexes };
}

/** Reads an archive already on disk (an `image save` output or an OCI layout tar). */
export function readArchive(ref: string, file: string, options: StreamOptions): Promise<ScannedImage> {
  // Big reads keep the pass near disk speed (about 3x faster than the 64 KiB default here).
  return read(ref, createReadStream(file, { highWaterMark: 1 << 20 }), file, options);
}

let saveDir: string | undefined;
let archives = 0;
const saved = new Map<string, string>();

/** Removes the archives kept for reuse; the next read of an image saves it again. */
export function forgetSavedImages(): void {
  if (saveDir) rmSync(saveDir, { recursive: true, force: true });
  saveDir = undefined;
  saved.clear();
}

function archiveFile(): string {
  if (!saveDir) {
    saveDir = mkdtempSync(join(tmpdir(), 'slipway-scan-'));
    process.once('exit', forgetSavedImages);
  }
  return join(saveDir, `image-${archives++}.tar`);
}

/** Writes a chunk; `done` once it is taken, or at once when the stream is gone (it failed). */
function writeTo(
  stream: NodeJS.WritableStream & { destroyed?: boolean },
  chunk: Buffer,
  done: () => void,
): void {
  if (stream.destroyed || stream.write(chunk)) {
    done();
    return;
  }
  const settle = () => {
    stream.off('drain', settle);
    stream.off('close', settle);
    done();
  };
  stream.on('drain', settle);
  stream.on('close', settle);
}

/**
 * Feeds what the engine writes to the reader (and to the file, if any) at once. When the reader
 * stops (a corrupt archive), the rest is still taken, so that the engine's save runs to its end.
 */
function tee(reader: PassThrough, file: NodeJS.WritableStream | undefined): Writable {
  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, callback) {
      let pending = file ? 2 : 1;
      const done = () => {
        if (--pending === 0) callback();
      };
      writeTo(reader, chunk, done);
      if (file) writeTo(file, chunk, done);
    },
    final(callback) {
      reader.end();
      file?.end();
      callback();
    },
  });
}

/** An engine's save under way: its bytes wait in `reader` (the engine blocks) until they are read. */
interface Save {
  readonly engine: ContainerEngine;
  readonly reader: PassThrough;
  readonly saving: Promise<void>;
  /** Where the archive is kept for a second read, and when it is all written. */
  readonly file: string | undefined;
  readonly written: Promise<void>;
}

function startSave(engine: ContainerEngine, ref: string, keep: boolean): Save {
  const file = keep ? archiveFile() : undefined;
  const out = file ? createWriteStream(file) : undefined;
  const reader = new PassThrough({ highWaterMark: 1 << 20 });
  const saving = engine.saveImageTo(ref, tee(reader, out));
  const written = out ? finished(out) : Promise.resolve();
  // Settled when the save is read (or dropped); a failure before then is not unhandled.
  saving.catch(() => undefined);
  written.catch(() => undefined);
  return { engine, reader, saving, file, written };
}

const prefetched = new Map<string, Save>();

/**
 * Starts the engine's save of `ref` now, for the readImage of it that follows: the engine takes
 * about a second before its first byte, which the caller spends loading the scanner and its
 * inputs. `keepArchive: false` keeps no copy for a second read (a one-scan process). A prefetch
 * that will not be read must be dropped (dropPrefetch), or the engine waits for a reader.
 */
export function prefetchImage(
  engine: ContainerEngine,
  ref: string,
  options: { readonly keepArchive?: boolean } = {},
): void {
  if (prefetched.has(ref)) return;
  prefetched.set(ref, startSave(engine, ref, options.keepArchive ?? true));
}

function drop(save: Save): Promise<void> {
  save.reader.resume();
  return Promise.allSettled([save.saving, save.written]).then(() => {
    if (save.file) rmSync(save.file, { force: true });
  });
}

/** Lets a prefetched save of `ref` that nobody reads run to its end, its bytes thrown away. */
export function dropPrefetch(ref: string): Promise<void> {
  const save = prefetched.get(ref);
  prefetched.delete(ref);
  return save ? drop(save) : Promise.resolve();
}

/** Saves `ref` from the engine and reads it in the same pass; an image id read before is not saved again. */
export async function readImage(
  engine: ContainerEngine,
  ref: string,
  imageId: string | undefined,
  options: StreamOptions,
): Promise<ScannedImage> {
  const early = prefetched.get(ref)?.engine === engine ? prefetched.get(ref) : undefined;
  if (early) prefetched.delete(ref);
  if (!imageId && !(await engine.inspectImage(ref))) {
    if (early) void drop(early);
    throw new EnvironmentError(`the image ${ref} is not in the ${engine.kind} engine`, {
      fix: 'build it first: slipway build',
    });
  }
  const kept = imageId ? saved.get(imageId) : undefined;
  if (kept) {
    if (early) void drop(early);
    return readArchive(ref, kept, options);
  }
  const save = early ?? startSave(engine, ref, true);
  const what = `${ref} (${engine.kind} save)`;
  const [saving, scanned, written] = await Promise.allSettled([
    save.saving,
    read(ref, save.reader, what, options),
    save.written,
  ]);
  // The engine's own failure (no such image, daemon gone) says more than the cut archive it left.
  if (saving.status === 'rejected') throw saving.reason;
  if (scanned.status === 'rejected') throw scanned.reason;
  if (imageId && save.file && written.status === 'fulfilled') saved.set(imageId, save.file);
  return scanned.value;
}

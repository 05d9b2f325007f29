/**
 * Reads an image the way it is shipped: the engine saves it to an archive in a private temp
 * folder (removed afterwards, whatever happens), and the layers are walked from that file.
 * Reading the archive, not a running container, is what lets a scan see deleted files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerEngine } from '../engines/engine.js';
import { EnvironmentError } from '../errors.js';
import { type ImageArchive, openArchive } from './archive.js';
import { type FileSystem, type WalkOptions, walkLayers } from './layers.js';

export interface ScannedImage {
  readonly ref: string;
  readonly archive: ImageArchive;
  readonly fs: FileSystem;
}

/** Reads an archive already on disk (an `image save` output or an OCI layout tar). */
export async function readArchive(ref: string, file: string, options: WalkOptions): Promise<ScannedImage> {
  const archive = await openArchive(file);
  const fs = await walkLayers(file, archive.layers, options);
  return { ref, archive, fs };
}

/** Saves `ref` from the engine into a temp file, reads it, and removes the file. */
export async function readImage(
  engine: ContainerEngine,
  ref: string,
  options: WalkOptions,
): Promise<ScannedImage> {
  if (!(await engine.inspectImage(ref))) {
    throw new EnvironmentError(`the image ${ref} is not in the ${engine.kind} engine`, {
      fix: 'build it first: slipway build',
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'slipway-scan-'));
  try {
    const file = join(dir, 'image.tar');
    await engine.saveImage(ref, file);
    return await readArchive(ref, file, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

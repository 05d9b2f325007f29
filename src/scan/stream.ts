/**
 * One pass over an image archive as it streams (from `docker save` or a file): every layer is
 * read the moment it passes, through gunzip or zstd when its first bytes say so, and the small
 * JSON entries (manifest, index, config) are kept. Which entry is which layer, in which order,
 * is only known at the end (`docker save` writes manifest.json last), so each layer's entries are
 * recorded under the archive path that held it and put in order afterwards (archive.ts,
 * layers.ts). The visitor (the secret scanner) sees every file of every layer during the pass,
 * with the number of the blob it came from in `layer` until that order is known, and the bytes
 * of those that can hold text (text-files.ts): of a file its first bytes show to be binary
 * (LayerVisitor.isBinary), only those first bytes.
 */
import { PassThrough, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { EnvironmentError } from '../errors.js';
import type { ImageFile, LayerVisitor } from './layers.js';
import { CorruptTarError, consume, eachEntry, readTar, type TarHeader } from './tar.js';
import { cannotHoldText } from './text-files.js';

/** One entry of one layer, as recorded in the pass. */
export interface LayerEntry {
  readonly header: TarHeader;
  /** Bytes, for the files asked to be kept. */
  readonly content?: Buffer;
  readonly sha256?: string;
}

export interface LayerBlob {
  /** The order the blob came in the archive: what the visitor was told as `layer`. */
  readonly ordinal: number;
  readonly entries: readonly LayerEntry[];
}

export interface StreamedArchive {
  /** Small JSON entries by path (manifest.json, index.json, configs, OCI manifests). */
  readonly metadata: ReadonlyMap<string, Buffer>;
  /** Entries read as layers by path; an Error when the entry was no readable layer. */
  readonly blobs: ReadonlyMap<string, LayerBlob | Error>;
  /** Symbolic links in the archive (some engines link `<id>/layer.tar` to a blob). */
  readonly links: ReadonlyMap<string, string>;
}

export interface StreamOptions {
  /** Keep the bytes of these files (dpkg status, METADATA, os-release, copyright files…). */
  readonly keep: (path: string) => boolean;
  readonly visitor?: LayerVisitor;
  /** Compute each file's SHA-256 as it passes (for file components). @default false */
  readonly hash?: boolean;
}

const MAX_JSON = 16 * 1024 * 1024;
const SNIFF = 512;

function isLayerPath(path: string): boolean {
  return path.startsWith('blobs/') || /(^|\/)layer\.tar$/.test(path) || /\.tar(\.gz|\.zst)?$/.test(path);
}

function looksLikeJson(head: Buffer): boolean {
  const first = head.toString('latin1').trimStart()[0];
  return first === '{' || first === '[';
}

/** A buffer of its own: a kept file is held to the end, the chunk it came in need not be. */
function own(content: Buffer): Buffer {
  return content.byteOffset === 0 && content.buffer.byteLength === content.length
    ? content
    : Buffer.from(content);
}

/** Layers are gzip, zstd or plain tar whatever their media type says: the first bytes tell. */
function decompressorFor(head: Buffer, path: string): Transform | undefined {
  if (head[0] === 0x1f && head[1] === 0x8b) return zlib.createGunzip();
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) {
    // zstd needs Node 22.15+; on older Node the layer cannot be read at all.
    const zstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
    if (!zstd) throw new EnvironmentError(`layer ${path} is zstd-compressed; reading it needs Node >= 22.15`);
    return zstd();
  }
  return undefined;
}

/** Reads everything of one entry, the first bytes told apart before the rest is taken. */
async function readEntry(
  data: Readable,
  onHead: (head: Buffer) => ((chunk: Buffer) => void) | undefined,
): Promise<void> {
  let head: Buffer[] | undefined = [];
  let headLength = 0;
  let sink: ((chunk: Buffer) => void) | undefined;
  const flush = () => {
    const first = Buffer.concat(head ?? []);
    head = undefined;
    sink = onHead(first);
    if (first.length > 0) sink?.(first);
  };
  await consume(data, (chunk) => {
    if (!head) return sink?.(chunk);
    head.push(chunk);
    headLength += chunk.length;
    if (headLength >= SNIFF) flush();
  });
  if (head) flush();
}

interface LayerReader {
  readonly write: (chunk: Buffer) => void;
  readonly finish: () => Promise<LayerBlob | Error>;
}

/** Starts parsing a layer whose first bytes are `head`; its chunks are fed through `write`. */
function startLayer(
  path: string,
  head: Buffer,
  data: Readable,
  blob: number,
  what: string,
  options: StreamOptions,
): LayerReader {
  const entries: LayerEntry[] = [];
  const input = new PassThrough({ highWaterMark: 1 << 20 });
  let failed = false;
  const visitor = {
    want: (header: TarHeader) =>
      options.keep(header.path) ||
      (!cannotHoldText(header.path) && (options.visitor?.want(header, blob) ?? false)),
    hash: () => options.hash ?? false,
    drop: (header: TarHeader, head: Buffer) =>
      !options.keep(header.path) && (options.visitor?.isBinary?.(head) ?? false),
    onEntry: (header: TarHeader, content: Buffer | undefined, sha256: string | undefined) => {
      const kept = content && options.keep(header.path) ? own(content) : undefined;
      entries.push({ header, ...(kept ? { content: kept } : {}), ...(sha256 ? { sha256 } : {}) });
      if (header.type === 'file' || header.type === 'hardlink') {
        const file: ImageFile = { ...header, layer: blob, ...(kept ? { content: kept } : {}) };
        options.visitor?.onFile(file, content);
      }
    },
  };
  let parsed: Promise<void>;
  try {
    parsed = readTar(input, visitor, `layer ${path} of ${what}`, decompressorFor(head, path));
  } catch (error) {
    parsed = Promise.reject(error);
  }
  // A blob that is no layer (or a broken one) stops its parse; the rest of it is skipped.
  parsed.catch(() => {
    failed = true;
    data.resume();
  });
  return {
    write: (chunk) => {
      if (failed) return;
      if (!input.write(chunk)) {
        data.pause();
        input.once('drain', () => data.resume());
      }
    },
    finish: async () => {
      input.end();
      try {
        await parsed;
        return { ordinal: blob, entries };
      } catch (error) {
        // Only what the archive holds is recorded; a visitor's own failure stops the scan.
        if (error instanceof CorruptTarError || error instanceof EnvironmentError) return error;
        throw error;
      }
    },
  };
}

export async function readStream(
  source: Readable,
  what: string,
  options: StreamOptions,
): Promise<StreamedArchive> {
  const metadata = new Map<string, Buffer>();
  const blobs = new Map<string, LayerBlob | Error>();
  const links = new Map<string, string>();
  let ordinal = 0;
  const skip = () => {};

  await eachEntry(source, what, async (header, data) => {
    if (!data) return;
    if (header.type === 'symlink' || header.type === 'hardlink') {
      links.set(header.path, header.linkname);
      return consume(data, skip);
    }
    if (header.type !== 'file') return consume(data, skip);
    const small = header.size <= MAX_JSON;
    const candidate = isLayerPath(header.path) && header.size > 0;
    let layer: LayerReader | undefined;
    const parts: Buffer[] = [];
    await readEntry(data, (head) => {
      // A blob may be a config or manifest (JSON) as well as a layer: its first bytes say which.
      if (candidate && !(small && looksLikeJson(head))) {
        layer = startLayer(header.path, head, data, ordinal++, what, options);
        return layer.write;
      }
      return small ? (chunk) => void parts.push(chunk) : undefined;
    });
    const reader = layer as LayerReader | undefined;
    if (reader) blobs.set(header.path, await reader.finish());
    else if (small) metadata.set(header.path, Buffer.concat(parts));
  });
  return { metadata, blobs, links };
}

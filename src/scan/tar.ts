/**
 * Tar reading for image archives and their layers, on tar-stream: it verifies every header's
 * checksum (a corrupt archive is refused, not read as garbage), rejects an archive that ends
 * inside an entry, and applies pax (`path`, `linkpath`, `size`) and GNU long-name headers to
 * the entry they precede (an entry whose pax `size` differs from its ustar size field is read by
 * its real size). Two uses, both on streams read once from start to end:
 * - `eachEntry`: the outer image archive, each entry handed over as a stream (stream.ts reads
 *   the layers in it as they pass);
 * - `readTar`: one layer (after gunzip), keeping only the contents asked for.
 */
import { createHash } from 'node:crypto';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type Header } from 'tar-stream';
import { EnvironmentError } from '../errors.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface TarHeader {
  /** Path without a leading `./` or `/`; directories without a trailing slash. */
  readonly path: string;
  readonly type: EntryType;
  /** Permission bits including setuid (0o4000), setgid (0o2000) and sticky (0o1000). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly linkname: string;
}

/** Called for each entry; return true from `want` to receive a file's bytes in `onEntry`. */
export interface TarVisitor {
  want(header: TarHeader): boolean;
  /** Files whose SHA-256 to compute as their bytes pass (without keeping them). */
  hash?(header: TarHeader): boolean;
  /**
   * Asked once about a wanted file longer than `HEAD_BYTES`, with its first HEAD_BYTES: true
   * stops collecting it, and `onEntry` gets those first bytes only (a binary file).
   */
  drop?(header: TarHeader, head: Buffer): boolean;
  onEntry(header: TarHeader, content: Buffer | undefined, sha256: string | undefined): void;
}

export function normalizePath(raw: string): string {
  return raw.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

function typeOf(type: Header['type'] | null): EntryType {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      // Devices, fifos, and typeflags tar-stream does not know (it gives null for those).
      return 'other';
  }
}

/** pax `uid`/`gid` records carry ids too large for the octal fields; tar-stream leaves them. */
function paxId(header: Header, key: 'uid' | 'gid'): number {
  const value = (header.pax as Record<string, string> | null | undefined)?.[key];
  const id = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isSafeInteger(id) && id >= 0 ? id : header[key];
}

function headerOf(raw: Header): TarHeader {
  return {
    path: normalizePath(raw.name),
    type: typeOf(raw.type),
    mode: raw.mode & 0o7777,
    uid: paxId(raw, 'uid'),
    gid: paxId(raw, 'gid'),
    size: raw.size,
    linkname: raw.linkname ?? '',
  };
}

/** A tar (or its compression) is damaged; says what, and after which entry. */
export class CorruptTarError extends EnvironmentError {}

/** tar-stream's and zlib's messages, said in terms of what the user has in hand. */
function corruption(error: Error, what: string, last: string | undefined): CorruptTarError | undefined {
  const where = last === undefined ? 'in its first header' : `after the entry ${last}`;
  const code = (error as NodeJS.ErrnoException).code;
  let problem: string | undefined;
  if (error.message.startsWith('Invalid tar header. Maybe')) problem = `a header checksum is wrong ${where}`;
  else if (error.message === 'Unexpected end of data') problem = `it ends inside an entry, ${where}`;
  else if (error.message.startsWith('Invalid tar header') || error.message === 'Invalid header')
    problem = `a header is not valid ${where}`;
  else if (error.message === 'Header exceeds max size')
    problem = `a pax or long-name header is too large ${where}`;
  else if (code?.startsWith('Z_')) problem = `its compressed data is damaged (${error.message}) ${where}`;
  if (!problem) return undefined;
  return new CorruptTarError(`${what} is corrupt: ${problem}`, {
    fix: 'save the image again (a partial copy or a disk error leaves a broken archive)',
    cause: error,
  });
}

/** How much of a file `TarVisitor.drop` is shown: what tells text from binary. */
export const HEAD_BYTES = 8192;

/** The chunks as one buffer; one chunk is not copied. */
function join(parts: readonly Buffer[]): Buffer {
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** An entry's bytes, chunk by chunk; resolves at its end. A stream error is the pipeline's to report. */
export function consume(stream: Readable, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve) => {
    stream.on('data', onChunk);
    stream.on('end', resolve);
  });
}

/**
 * Runs `source` (through `decompress`, if given) into tar-stream and hands each entry to
 * `handle` with its data as a stream (none for a folder), which the handler reads to its end.
 */
async function parse(
  source: Readable,
  decompress: Transform | undefined,
  what: string,
  handle: (header: TarHeader, data: Readable | undefined) => Promise<void> | void,
): Promise<void> {
  // Pre-POSIX (v7) headers have no ustar magic; they still carry a checksum, which is checked.
  // The option is read by tar-stream but missing from its types.
  const options = { allowUnknownFormat: true } as Parameters<typeof tar.extract>[0];
  const extract = tar.extract(options);
  let last: string | undefined;
  let handlerError: unknown;
  extract.on('entry', (raw, stream, next) => {
    const header = headerOf(raw);
    // When the tar breaks mid-entry, tar-stream also destroys the entry's stream with the error;
    // the pipeline reports it, so the copy here must not go unhandled.
    stream.on('error', () => {});
    // tar-stream gives a directory no data (its stream may never end), whatever its size says.
    const data = raw.type === 'directory' ? undefined : (stream as unknown as Readable);
    Promise.resolve()
      .then(() => handle(header, data))
      .then(
        () => {
          last = header.path;
          next();
        },
        (error: unknown) => {
          handlerError = error;
          next(error as Error);
        },
      );
  });
  // tar-stream's Extract is a streamx Writable, which Node's pipeline drives like a Node one.
  const sink = extract as unknown as NodeJS.WritableStream;
  try {
    if (decompress) await pipeline(source, decompress, sink);
    else await pipeline(source, sink);
  } catch (error) {
    if (error === handlerError || !(error instanceof Error)) throw error;
    throw corruption(error, what, last) ?? error;
  }
}

/** Reads one tar stream (a layer); `what` names it in errors ("layer l0/layer.tar of x.tar"). */
export async function readTar(
  source: Readable,
  visitor: TarVisitor,
  what: string,
  decompress?: Transform,
): Promise<void> {
  await parse(source, decompress, what, async (header, data) => {
    if (!data) return visitor.onEntry(header, undefined, undefined);
    const isFile = header.type === 'file';
    let parts: Buffer[] | undefined = isFile && visitor.want(header) ? [] : undefined;
    const hash = isFile && visitor.hash?.(header) ? createHash('sha256') : undefined;
    // Decided once the head is in: most binaries are megabytes that need not be copied.
    let undecided = visitor.drop !== undefined && header.size > HEAD_BYTES;
    let length = 0;
    let head: Buffer | undefined;
    await consume(data, (chunk) => {
      hash?.update(chunk);
      if (!parts) return;
      parts.push(chunk);
      length += chunk.length;
      if (undecided && length >= HEAD_BYTES) {
        undecided = false;
        const first = join(parts).subarray(0, HEAD_BYTES);
        if (visitor.drop?.(header, first)) {
          head = Buffer.from(first);
          parts = undefined;
        } else parts = [join(parts)];
      }
    });
    visitor.onEntry(header, head ?? (parts && join(parts)), hash?.digest('hex'));
  });
}

/** Reads the outer archive once, handing each entry (with its data stream) to `handle`. */
export async function eachEntry(
  source: Readable,
  what: string,
  handle: (header: TarHeader, data: Readable | undefined) => Promise<void>,
): Promise<void> {
  await parse(source, undefined, `the image archive ${what}`, handle);
}

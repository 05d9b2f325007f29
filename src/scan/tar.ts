/**
 * A small tar reader: image archives and their layers are plain ustar/pax/GNU tar, and all that a
 * scan needs is each entry's header and, for some entries, the bytes. Two shapes:
 * - `indexTar`: the outer image archive, read by offset from a file (no contents loaded), because
 *   its manifest may come after the layers it names;
 * - `TarParser`: a push parser for one layer stream, which keeps only the contents asked for.
 */
import { open } from 'node:fs/promises';

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

const BLOCK = 512;

function text(block: Buffer, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end === -1 ? slice.length : end).toString('utf8');
}

/** Numeric fields are octal text, or base-256 with the high bit set (GNU, for values > 8 GiB). */
function number(block: Buffer, start: number, length: number): number {
  const first = block[start] ?? 0;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (block[start + i] ?? 0);
    return value;
  }
  const raw = text(block, start, length).trim();
  return raw ? Number.parseInt(raw, 8) : 0;
}

function typeOf(flag: string): EntryType {
  if (flag === '0' || flag === '' || flag === '7') return 'file';
  if (flag === '5') return 'dir';
  if (flag === '2') return 'symlink';
  if (flag === '1') return 'hardlink';
  return 'other';
}

export function normalizePath(raw: string): string {
  return raw.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/** `key=value` records of a pax extended header: `<length> <key>=<value>\n`. */
function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(data.subarray(offset, space).toString('ascii'), 10);
    if (!(length > 0)) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    offset += length;
  }
  return records;
}

interface RawHeader {
  flag: string;
  name: string;
  size: number;
  header: Omit<TarHeader, 'path' | 'linkname' | 'size'> & { linkname: string };
}

function parseHeader(block: Buffer): RawHeader | undefined {
  if (block.every((byte) => byte === 0)) return undefined;
  const magic = text(block, 257, 6);
  const prefix = magic.startsWith('ustar') ? text(block, 345, 155) : '';
  const name = text(block, 0, 100);
  const flag = text(block, 156, 1);
  return {
    flag,
    name: prefix ? `${prefix}/${name}` : name,
    size: number(block, 124, 12),
    header: {
      type: typeOf(flag),
      mode: number(block, 100, 8) & 0o7777,
      uid: number(block, 108, 8),
      gid: number(block, 116, 8),
      linkname: text(block, 157, 100),
    },
  };
}

export interface IndexedEntry {
  readonly header: TarHeader;
  /** Byte offset of the entry's data in the archive. */
  readonly offset: number;
}

/** Lists the entries of a tar file with where their data starts; reads headers only. */
export async function indexTar(file: string): Promise<Map<string, IndexedEntry>> {
  const handle = await open(file, 'r');
  const entries = new Map<string, IndexedEntry>();
  try {
    const { size: total } = await handle.stat();
    const block = Buffer.alloc(BLOCK);
    let position = 0;
    let longName: string | undefined;
    let pax: Record<string, string> = {};
    while (position + BLOCK <= total) {
      await handle.read(block, 0, BLOCK, position);
      const raw = parseHeader(block);
      if (!raw) break;
      const dataOffset = position + BLOCK;
      position = dataOffset + Math.ceil(raw.size / BLOCK) * BLOCK;
      if (raw.flag === 'L' || raw.flag === 'x') {
        const data = Buffer.alloc(raw.size);
        await handle.read(data, 0, raw.size, dataOffset);
        if (raw.flag === 'L') longName = text(data, 0, data.length);
        else pax = paxRecords(data);
        continue;
      }
      if (raw.flag === 'g') continue;
      const path = normalizePath(pax.path ?? longName ?? raw.name);
      const size = pax.size ? Number(pax.size) : raw.size;
      entries.set(path, {
        header: { ...raw.header, path, size, linkname: raw.header.linkname },
        offset: dataOffset,
      });
      longName = undefined;
      pax = {};
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Called for each entry; return true from `want` to receive the entry's bytes in `onEntry`. */
export interface TarVisitor {
  want(header: TarHeader): boolean;
  onEntry(header: TarHeader, content: Buffer | undefined): void;
}

/**
 * Push parser over a tar byte stream. Chunks are kept in a list and only joined when a header
 * or a wanted entry's data is complete, so skipping large files costs no copies.
 */
export class TarParser {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private state: 'header' | 'data' | 'padding' | 'end' = 'header';
  private current:
    | { raw: RawHeader; header: TarHeader | undefined; keep: boolean; parts: Buffer[]; dataSize: number }
    | undefined;
  private remaining = 0;
  private longName: string | undefined;
  private longLink: string | undefined;
  private pax: Record<string, string> = {};

  constructor(private readonly visitor: TarVisitor) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.drain();
  }

  private take(length: number): Buffer {
    const joined = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    const taken = joined.subarray(0, length);
    const rest = joined.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return taken;
  }

  private drain(): void {
    while (this.state !== 'end') {
      if (this.state === 'header') {
        if (this.buffered < BLOCK) return;
        const raw = parseHeader(Buffer.from(this.take(BLOCK)));
        if (!raw) {
          this.state = 'end';
          return;
        }
        this.startEntry(raw);
      } else if (this.state === 'data') {
        if (this.remaining > 0 && this.buffered === 0) return;
        const length = Math.min(this.remaining, this.buffered);
        const part = this.take(length);
        if (this.current?.keep) this.current.parts.push(Buffer.from(part));
        this.remaining -= length;
        if (this.remaining === 0) this.finishEntry();
      } else {
        const length = Math.min(this.remaining, this.buffered);
        this.take(length);
        this.remaining -= length;
        if (this.remaining > 0) return;
        this.state = 'header';
      }
    }
  }

  private startEntry(raw: RawHeader): void {
    const meta = raw.flag === 'L' || raw.flag === 'K' || raw.flag === 'x' || raw.flag === 'g';
    let header: TarHeader | undefined;
    if (!meta) {
      const path = normalizePath(this.pax.path ?? this.longName ?? raw.name);
      const linkname = this.pax.linkpath ?? this.longLink ?? raw.header.linkname;
      const size = this.pax.size ? Number(this.pax.size) : raw.size;
      header = { ...raw.header, path, linkname, size };
      this.longName = undefined;
      this.longLink = undefined;
      this.pax = {};
    }
    const keep = meta || (header !== undefined && header.type === 'file' && this.visitor.want(header));
    // Links and directories carry no data, whatever their size field says.
    const linkOrDir = header !== undefined && ['dir', 'symlink', 'hardlink'].includes(header.type);
    const dataSize = header ? (linkOrDir ? 0 : header.size) : raw.size;
    this.current = { raw, header, keep, parts: [], dataSize };
    this.remaining = dataSize;
    this.state = 'data';
    if (this.remaining === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const current = this.current;
    if (current) {
      const data = current.keep ? Buffer.concat(current.parts) : undefined;
      const flag = current.raw.flag;
      if (flag === 'L' && data) this.longName = text(data, 0, data.length);
      else if (flag === 'K' && data) this.longLink = text(data, 0, data.length);
      else if (flag === 'x' && data) this.pax = paxRecords(data);
      else if (current.header) this.visitor.onEntry(current.header, data);
    }
    const size = current?.dataSize ?? 0;
    this.remaining = (BLOCK - (size % BLOCK)) % BLOCK;
    this.current = undefined;
    this.state = this.remaining > 0 ? 'padding' : 'header';
  }
}

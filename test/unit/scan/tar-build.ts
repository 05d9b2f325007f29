/**
 * Builds tars for the tar, layer and archive tests with tar-stream's packer, and edits single
 * headers afterwards to get what a packer will not write on purpose: a pax size that differs
 * from the ustar field, GNU atime fields, a damaged checksum.
 */
import { gzipSync } from 'node:zlib';
import tar, { type Header } from 'tar-stream';

export interface Entry {
  readonly name: string;
  readonly content?: string | Buffer;
  readonly type?: Header['type'];
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly linkname?: string;
  /** Extra pax records; tar-stream then writes a pax header before the entry. */
  readonly pax?: Record<string, string>;
}

export async function pack(entries: readonly Entry[]): Promise<Buffer> {
  const packer = tar.pack();
  const chunks: Buffer[] = [];
  packer.on('data', (chunk) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    packer.on('end', () => resolve());
    packer.on('error', reject);
  });
  for (const { content, ...header } of entries) {
    const fixed = { mtime: new Date(0), ...header };
    if (content === undefined) packer.entry(fixed);
    else packer.entry(fixed, content);
  }
  packer.finalize();
  await done;
  return Buffer.concat(chunks);
}

export const gzip = (data: Buffer) => gzipSync(data);

/**
 * Offsets of the blocks whose name field is exactly `name` (and whose typeflag is `flag`, if
 * given). tar-stream names both a pax header (flag `x`) and the entry's own header after it
 * "PaxHeader", so entries with pax records are found by name "PaxHeader" and flag "0".
 */
export function headersNamed(data: Buffer, name: string, flag?: string): number[] {
  const found: number[] = [];
  for (let at = 0; at + 512 <= data.length; at += 512) {
    const field = data.subarray(at, at + 100);
    const end = field.indexOf(0);
    if (field.subarray(0, end === -1 ? 100 : end).toString() !== name) continue;
    if (flag === undefined || String.fromCharCode(data[at + 156] ?? 0) === flag) found.push(at);
  }
  return found;
}

/** Offset of the last header named `name`. */
export function headerAt(data: Buffer, name: string, flag?: string): number {
  const found = headersNamed(data, name, flag).at(-1);
  if (found === undefined) throw new Error(`no header named ${name}`);
  return found;
}

/** Writes the checksum of the header at `at` the way tar does: 6 octal digits, NUL, space. */
function checksum(data: Buffer, at: number): void {
  data.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = at; i < at + 512; i++) sum += data[i] ?? 0;
  data.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, at + 148, 8, 'ascii');
}

/** A copy of `data` with the header at `at` edited and its checksum made right again. */
export function editHeader(data: Buffer, at: number, edit: (header: Buffer) => void): Buffer {
  const copy = Buffer.from(data);
  edit(copy.subarray(at, at + 512));
  checksum(copy, at);
  return copy;
}

/** Writes an octal numeric field (NUL-terminated) at `offset` of a header block. */
export function octal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

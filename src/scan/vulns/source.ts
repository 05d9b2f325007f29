/**
 * Offline OSV data: a folder of OSV JSON files (searched recursively) or one of OSV's
 * per-ecosystem exports, `https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip`.
 * The zip is read with Node's own zlib: the central directory lists the entries (zip64 too,
 * since the Debian export has more than 65,535 of them), and each entry is stored or deflated.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { UsageError } from '../../errors.js';
import { isOsvRecord, type OsvRecord } from './osv.js';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === EOCD) return offset;
  }
  throw new UsageError('not a zip file (no end of central directory record)');
}

function centralDirectory(zip: Buffer): { offset: number; count: number } {
  const eocd = findEndOfCentralDirectory(zip);
  let count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if (locator >= 0 && zip.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const zip64 = Number(zip.readBigUInt64LE(locator + 8));
    count = Number(zip.readBigUInt64LE(zip64 + 32));
    offset = Number(zip.readBigUInt64LE(zip64 + 48));
  }
  return { offset, count };
}

/** Sizes and offsets at 0xffffffff live in the zip64 extra field (id 1), in this order. */
function zip64Values(extra: Buffer, wanted: { size: boolean; compressed: boolean; local: boolean }) {
  const values: { size?: number; compressed?: number; local?: number } = {};
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 1) {
      let field = at + 4;
      for (const key of ['size', 'compressed', 'local'] as const) {
        if (!wanted[key]) continue;
        values[key] = Number(extra.readBigUInt64LE(field));
        field += 8;
      }
    }
    at += 4 + length;
  }
  return values;
}

/** Every entry of a zip whose name passes `accept`, decompressed. */
export function* zipEntries(zip: Buffer, accept: (name: string) => boolean): Generator<[string, Buffer]> {
  const { offset: start, count } = centralDirectory(zip);
  let at = start;
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new UsageError('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    let compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const extra = zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const big = zip64Values(extra, {
      size: zip.readUInt32LE(at + 24) === 0xffffffff,
      compressed: compressed === 0xffffffff,
      local: local === 0xffffffff,
    });
    compressed = big.compressed ?? compressed;
    local = big.local ?? local;
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/') || !accept(name)) continue;
    if (zip.readUInt32LE(local) !== LOCAL) throw new UsageError(`corrupt zip entry ${name}`);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    if (method === 0) yield [name, data];
    else if (method === 8) yield [name, inflateRawSync(data)];
    else
      throw new UsageError(
        `zip entry ${name} uses compression method ${method}; only stored and deflate are read`,
      );
  }
}

function parseRecord(name: string, text: string): OsvRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isOsvRecord(value)) throw new UsageError(`${name} is not an OSV record (no string "id")`);
  return value;
}

async function jsonFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await jsonFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.json')) found.push(path);
  }
  return found.sort();
}

/** Loads every OSV record from a folder of JSON files or an all.zip export (or several, joined). */
export async function loadOsv(source: string): Promise<OsvRecord[]> {
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new UsageError(`--osv ${source}: no such file or folder`);
  if (info.isDirectory()) {
    const files = await jsonFiles(source);
    const zips = (await readdir(source))
      .filter((name) => name.endsWith('.zip'))
      .map((name) => join(source, name));
    const records = await Promise.all(
      files.map(async (file) => parseRecord(file, await readFile(file, 'utf8'))),
    );
    for (const zip of zips) records.push(...(await loadOsv(zip)));
    return records;
  }
  const zip = await readFile(source);
  const records: OsvRecord[] = [];
  for (const [name, data] of zipEntries(zip, (entry) => entry.endsWith('.json'))) {
    records.push(parseRecord(`${source}:${name}`, data.toString('utf8')));
  }
  return records;
}

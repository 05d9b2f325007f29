// The two things update-rules.mjs needs from a Go module zip, without a zip dependency: the
// files (stored or deflated, no zip64: the module proxy caps a zip at 500 MB) and the module's
// `h1:` checksum, computed the way golang.org/x/mod/sumdb/dirhash.Hash1 does, so the download is
// checked against the sum the Go checksum database records for that version.
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** @param {Buffer} zip @returns {Map<string, Buffer>} file name → content */
export function readZip(zip) {
  let eocd = -1;
  // The end record sits in the last 64 KiB + 22 bytes (its comment is at most 64 KiB).
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (zip.readUInt32LE(offset) !== LOCAL) throw new Error(`bad local header for ${name}`);
    const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const raw = zip.subarray(start, start + compressed);
    const data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : null;
    if (data === null) throw new Error(`${name}: unsupported compression method ${method}`);
    if (data.length !== size) throw new Error(`${name}: ${data.length} bytes, the directory says ${size}`);
    if (!name.endsWith('/')) files.set(name, data);
  }
  return files;
}

/** dirhash.Hash1: sha256 over the sorted "<sha256 hex>  <name>\n" lines, base64, "h1:" prefix. */
export function hash1(files) {
  const summary = [...files.keys()]
    .sort()
    .map((name) => `${createHash('sha256').update(files.get(name)).digest('hex')}  ${name}\n`)
    .join('');
  return `h1:${createHash('sha256').update(summary).digest('base64')}`;
}

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOsv } from '../../../src/scan/vulns/source.js';
import { repoRoot } from '../../helpers/cli.js';

const osvDir = join(repoRoot, 'test', 'fixtures', 'scan', 'osv');

/** A zip as OSV's all.zip is: deflated JSON entries; optionally with zip64 end records. */
function zip(files: Record<string, Buffer>, { zip64 = false, store = false } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const body = store ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(store ? 0 : 8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const count = Object.keys(files).length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  if (!zip64) return Buffer.concat([...locals, directory, end]);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
  return Buffer.concat([...locals, directory, record, locator, end]);
}

describe('offline OSV sources', () => {
  let dir: string;
  let files: Record<string, Buffer>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-osv-'));
    files = {};
    for (const id of ['GHSA-f96h-pmfr-66vw', 'DEBIAN-CVE-2026-56410', 'PYSEC-2024-60']) {
      files[`${id}.json`] = await readFile(join(osvDir, `${id}.json`));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a folder of OSV JSON files', async () => {
    const records = await loadOsv(osvDir);
    expect(records.map((r) => r.id).sort()).toEqual([
      'DEBIAN-CVE-2026-56410',
      'GHSA-2c2j-9gv5-cj73',
      'GHSA-f96h-pmfr-66vw',
      'GHSA-vqfr-h8mv-ghfj',
      'PYSEC-2023-83',
      'PYSEC-2024-38',
      'PYSEC-2024-60',
    ]);
  });

  it.each([
    ['deflated', {}],
    ['stored', { store: true }],
    ['zip64', { zip64: true }],
  ])('reads an all.zip export (%s)', async (name, options) => {
    const file = join(dir, `${name}.zip`);
    await writeFile(file, zip(files, options));
    const records = await loadOsv(file);
    expect(records.map((r) => r.id).sort()).toEqual([
      'DEBIAN-CVE-2026-56410',
      'GHSA-f96h-pmfr-66vw',
      'PYSEC-2024-60',
    ]);
    expect(records.find((r) => r.id === 'PYSEC-2024-60')?.aliases).toEqual(['CVE-2024-3651']);
  });

  it('says what is wrong with a bad source', async () => {
    await expect(loadOsv(join(dir, 'missing'))).rejects.toThrow(/no such file or folder/);
    const notZip = join(dir, 'not.zip');
    await writeFile(notZip, 'hello');
    await expect(loadOsv(notZip)).rejects.toThrow(/not a zip file/);
    const bad = join(dir, 'bad.zip');
    await writeFile(bad, zip({ 'x.json': Buffer.from('{"summary":"no id"}') }));
    await expect(loadOsv(bad)).rejects.toThrow(/not an OSV record/);
  });
});

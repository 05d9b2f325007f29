import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../../src/scan/image.js';
import type { FileSystem } from '../../../src/scan/layers.js';
import { CorruptTarError } from '../../../src/scan/tar.js';
import { editHeader, gzip, headerAt, octal, pack } from './tar-build.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-layers-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const compressions = [
  ['plain', (data: Buffer) => data],
  ['gzipped', gzip],
] as const;

const config = JSON.stringify({ os: 'linux', rootfs: { diff_ids: [] } });

/** Reads one layer as the only layer of a Docker archive. */
async function walkOne(name: string, layer: Buffer): Promise<FileSystem> {
  const file = join(dir, `${name}.image`);
  const manifest = JSON.stringify([{ Config: 'cfg.json', Layers: [name] }]);
  await writeFile(
    file,
    await pack([
      { name, content: layer },
      { name: 'cfg.json', content: config },
      { name: 'manifest.json', content: manifest },
    ]),
  );
  return (await readArchive('test', file, { keep: () => true })).fs;
}

const ENTRIES = [
  { name: 'etc', type: 'directory' as const },
  { name: 'etc/a.conf', content: 'a' },
  { name: 'etc/b.conf', content: 'b' },
];

describe.each(compressions)('a %s layer', (kind, compress) => {
  it('is read, and refused when a header checksum is wrong', async () => {
    const packed = await pack(ENTRIES);
    const fs = await walkOne(`${kind}-ok.tar`, compress(packed));
    expect(fs.files.get('etc/b.conf')?.content?.toString()).toBe('b');

    const corrupt = Buffer.from(packed);
    corrupt[headerAt(corrupt, 'etc/b.conf') + 4] = 'X'.charCodeAt(0); // "etc/X.conf", sum unchanged
    const error = await walkOne(`${kind}-bad.tar`, compress(corrupt)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^layer ${kind}-bad\\.tar of .* is corrupt: a header checksum is wrong after the entry etc/a\\.conf$`,
      ),
    );
    expect(error).toBeInstanceOf(CorruptTarError);
  });

  it('is refused when it ends inside an entry', async () => {
    const packed = await pack([...ENTRIES, { name: 'etc/big', content: 'x'.repeat(2000) }]);
    const cut = packed.subarray(0, headerAt(packed, 'etc/big') + 1024);
    await expect(walkOne(`${kind}-cut.tar`, compress(cut))).rejects.toThrow(
      /is corrupt: it ends inside an entry, after the entry etc\/b\.conf$/,
    );
  });

  it('reads GNU headers without taking their atime field for a path prefix', async () => {
    // GNU tar keeps atime and ctime where ustar has its 155-byte name prefix (tar -G does).
    const packed = await pack(ENTRIES);
    const gnu = editHeader(packed, headerAt(packed, 'etc/a.conf'), (h) => {
      h.write('ustar  \u0000', 257, 8, 'ascii');
      octal(h, 345, 12, 1_700_000_000);
      octal(h, 357, 12, 1_700_000_000);
    });
    const fs = await walkOne(`${kind}-gnu.tar`, compress(gnu));
    expect([...fs.files.keys()]).toEqual(['etc', 'etc/a.conf', 'etc/b.conf']);
    expect(fs.files.get('etc/a.conf')?.content?.toString()).toBe('a');
  });
});

describe('a gzipped layer cut short', () => {
  it('is refused as corrupt, with what zlib found', async () => {
    const gzipped = gzip(await pack(ENTRIES));
    await expect(walkOne('cut.tar.gz', gzipped.subarray(0, gzipped.length - 30))).rejects.toThrow(
      /^layer cut\.tar\.gz of .* is corrupt: its compressed data is damaged \(unexpected end of file\)/,
    );
  });
});

describe('pax records in a layer', () => {
  it('give owners too large for the octal uid/gid fields', async () => {
    // The 7-digit octal fields stop at 2097151; larger ids (user namespaces) are pax-only.
    const packed = await pack([
      {
        name: 'home/app/data',
        content: 'd',
        uid: 3_000_000,
        gid: 3_000_001,
        pax: { uid: '3000000', gid: '3000001' },
      },
    ]);
    const fs = await walkOne('pax-ids.tar', packed);
    expect(fs.files.get('home/app/data')).toMatchObject({ uid: 3_000_000, gid: 3_000_001 });
  });
});

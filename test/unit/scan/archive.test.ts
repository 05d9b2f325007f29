import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../../src/scan/image.js';
import { editHeader, gzip, headerAt, headersNamed, octal, pack } from './tar-build.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-archive-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = JSON.stringify({ os: 'linux', config: { User: '10001' }, rootfs: { diff_ids: [] } });

/** A `docker save` archive: the manifest comes last, after the layers it names. */
async function dockerArchive(plain: Buffer, gzipped: Buffer) {
  return pack([
    { name: 'cfg.json', content: config },
    // Pax records before each layer, so the size can be given there (see the first test).
    { name: 'l0/layer.tar', content: plain, pax: { size: String(plain.length) } },
    { name: 'l1/layer.tar', content: gzipped, pax: { size: String(gzipped.length) } },
    {
      name: 'manifest.json',
      content: JSON.stringify([{ Config: 'cfg.json', Layers: ['l0/layer.tar', 'l1/layer.tar'] }]),
    },
  ]);
}

describe('reading a Docker image archive', () => {
  it('finds layers whose size only their pax records give, and reads them, plain and gzipped', async () => {
    const plain = await pack([{ name: 'etc/os-release', content: 'ID=debian\n' }]);
    const gzipped = gzip(await pack([{ name: 'app/main.py', content: 'print(1)\n' }]));
    let archive = await dockerArchive(plain, gzipped);
    // The ustar size fields of both layer entries say 0, as for sizes the field cannot hold.
    for (const at of headersNamed(archive, 'PaxHeader', '0')) {
      archive = editHeader(archive, at, (h) => octal(h, 124, 12, 0));
    }
    expect(headersNamed(archive, 'PaxHeader', '0')).toHaveLength(2);
    const file = join(dir, 'pax-sizes.tar');
    await writeFile(file, archive);

    const { archive: opened, fs } = await readArchive('test', file, { keep: () => true });
    expect(opened.config.user).toBe('10001');
    expect(opened.layers).toEqual(['l0/layer.tar', 'l1/layer.tar']);
    expect(fs.files.get('etc/os-release')).toMatchObject({ layer: 0, content: Buffer.from('ID=debian\n') });
    expect(fs.files.get('app/main.py')).toMatchObject({ layer: 1, content: Buffer.from('print(1)\n') });
  });

  it('refuses an archive with a damaged header before reading anything from it', async () => {
    const archive = await dockerArchive(await pack([]), gzip(await pack([])));
    archive[headerAt(archive, 'manifest.json') + 1] = 'A'.charCodeAt(0); // "mAnifest.json"
    const file = join(dir, 'damaged.tar');
    await writeFile(file, archive);
    await expect(readArchive('test', file, { keep: () => true })).rejects.toThrow(
      `the image archive ${file} is corrupt: a header checksum is wrong after the entry l1/layer.tar`,
    );
  });
});

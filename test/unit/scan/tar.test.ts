import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptTarError, consume, eachEntry } from '../../../src/scan/tar.js';
import { editHeader, headerAt, octal, pack } from './tar-build.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-tar-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, data: Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, data);
  return file;
}

/** Each entry of the archive with its size and bytes, read in one pass. */
async function indexTar(file: string): Promise<Map<string, { size: number; text: string }>> {
  const entries = new Map<string, { size: number; text: string }>();
  await eachEntry(createReadStream(file), file, async (header, data) => {
    const parts: Buffer[] = [];
    if (data) await consume(data, (chunk) => void parts.push(chunk));
    entries.set(header.path, { size: header.size, text: Buffer.concat(parts).toString() });
  });
  return entries;
}

const big = 'A'.repeat(700); // two data blocks, so a wrong size puts the next header off

describe('reading an image archive in one pass', () => {
  it('skips an entry by its pax size when the ustar size field says otherwise', async () => {
    // A writer may leave the ustar field at 0 for a size it cannot hold (8 GiB and more) and
    // give the size in a pax record only; the pax record is the size.
    const packed = await pack([
      { name: 'layer.tar', content: big, pax: { size: String(big.length) } },
      { name: 'manifest.json', content: '[]' },
    ]);
    const at = headerAt(packed, 'PaxHeader', '0'); // the entry's own header, after its pax one
    const edited = editHeader(packed, at, (h) => octal(h, 124, 12, 0));
    const file = await write('pax-size.tar', edited);
    const entries = await indexTar(file);
    expect([...entries.keys()]).toEqual(['layer.tar', 'manifest.json']);
    expect(entries.get('layer.tar')?.size).toBe(700);
    expect(entries.get('layer.tar')?.text).toBe(big);
    expect(entries.get('manifest.json')?.text).toBe('[]');
  });

  it('refuses an archive with a wrong header checksum, naming the last good entry', async () => {
    const packed = await pack([
      { name: 'cfg.json', content: '{}' },
      { name: 'manifest.json', content: '[]' },
    ]);
    const corrupt = Buffer.from(packed);
    corrupt[headerAt(corrupt, 'manifest.json')] = 'n'.charCodeAt(0); // "nanifest.json", sum unchanged
    const file = await write('checksum.tar', corrupt);
    const error = await indexTar(file).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `the image archive ${file} is corrupt: a header checksum is wrong after the entry cfg.json`,
    );
    expect(error).toBeInstanceOf(CorruptTarError);

    const first = Buffer.from(packed);
    first[0] = 'C'.charCodeAt(0);
    await expect(indexTar(await write('first.tar', first))).rejects.toThrow(
      /is corrupt: a header checksum is wrong in its first header$/,
    );
  });

  it('refuses an archive that ends inside an entry', async () => {
    const packed = await pack([
      { name: 'cfg.json', content: '{}' },
      { name: 'layer.tar', content: big },
    ]);
    const cut = packed.subarray(0, headerAt(packed, 'layer.tar') + 512 + 100);
    await expect(indexTar(await write('truncated.tar', cut))).rejects.toThrow(
      /is corrupt: it ends inside an entry, after the entry cfg\.json$/,
    );
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../../src/engines/engine.js';
import {
  dropPrefetch,
  forgetSavedImages,
  prefetchImage,
  readArchive,
  readImage,
} from '../../../src/scan/image.js';
import { scanArchive, scanImage } from '../../../src/scan/index.js';
import { SecretScanner } from '../../../src/scan/secrets/index.js';
import { HEAD_BYTES } from '../../../src/scan/tar.js';
import { type TarEntry, tar, tarGz } from './tar-writer.js';

// A GitHub token shape the content rules know; built at run time, it is no key of anyone's.
const token = `ghp_${'A1b2C3d4E5'.repeat(3)}123456`;
const config = {
  config: { User: '10001' },
  history: [{ created_by: 'COPY base /' }, { created_by: 'COPY app /app' }],
};

/**
 * A Docker archive whose layer tars come in the reverse of their order, as `docker save` may
 * write them: the manifest, last, is what says layer 0 is `b/layer.tar`.
 */
function reversed(layer0: TarEntry[], layer1: TarEntry[]): Buffer {
  return tar([
    { path: 'a/layer.tar', content: tarGz(layer1) },
    { path: 'b/layer.tar', content: tar(layer0) },
    { path: 'c.json', content: JSON.stringify(config) },
    {
      path: 'manifest.json',
      content: JSON.stringify([{ Config: 'c.json', Layers: ['b/layer.tar', 'a/layer.tar'] }]),
    },
  ]);
}

const STATUS = 'Package: libfoo1\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n';
const LAYER0: TarEntry[] = [
  { path: 'var/lib/dpkg/status', content: STATUS },
  { path: 'var/lib/dpkg/info/libfoo1:amd64.list', content: '/usr/lib/libfoo.so.1\n' },
  { path: 'usr/lib/libfoo.so.1', content: 'old build' },
];
const LAYER1: TarEntry[] = [
  { path: 'usr/lib/libfoo.so.1', content: 'new build' },
  { path: 'app/settings.py', content: `TOKEN = "${token}"\n` },
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-stream-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => forgetSavedImages());

describe('one pass over an archive whose layers come out of order', () => {
  it('applies the layers in the manifest order and names a secret by its layer there', async () => {
    const file = join(dir, 'reversed.tar');
    await writeFile(file, reversed(LAYER0, LAYER1));
    const report = await scanArchive(file, { ref: 'app:1' });
    const secret = report.findings.find((r) => r.id === 'scan.secret.github-token');
    expect(secret?.message).toBe(
      'GitHub token in /app/settings.py (layer 1): present in the final filesystem',
    );
    expect(secret?.evidence).toContain('layer: 1 (COPY app /app)');
    expect(report.packages.map((p) => `${p.name} ${p.paths.join(',')}`)).toEqual([
      'libfoo1 usr/lib/libfoo.so.1',
    ]);
  });

  it('lists the files a package installed with their SHA-256 only when asked (--files)', async () => {
    const file = join(dir, 'files.tar');
    await writeFile(file, reversed(LAYER0, LAYER1));
    type Component = { name: string; components?: { type: string; name: string; hashes?: unknown[] }[] };
    const libfoo = async (files: boolean) =>
      ((await scanArchive(file, { ref: 'app:1', files })).sbom.components as Component[]).find(
        (c) => c.name === 'libfoo1',
      );
    expect((await libfoo(false))?.components).toBeUndefined();
    const sha256 = createHash('sha256').update('new build').digest('hex');
    expect((await libfoo(true))?.components).toEqual([
      {
        type: 'file',
        name: '/usr/lib/libfoo.so.1',
        'bom-ref': 'file:/usr/lib/libfoo.so.1',
        hashes: [{ alg: 'SHA-256', content: sha256 }],
      },
    ]);
  });
});

/** An engine that only saves: the archive given, counted, or a failure of its own. */
function engine(archive: Buffer, failure?: Error): ContainerEngine & { saves: number } {
  const fake = {
    kind: 'docker',
    saves: 0,
    inspectImage: async () => ({ id: 'sha256:abc' }),
    saveImageTo: async (_ref: string, sink: NodeJS.WritableStream) => {
      fake.saves++;
      // Half the archive, then the failure: what a daemon that dies mid-save leaves.
      sink.end(failure ? archive.subarray(0, archive.length / 2) : archive);
      if (failure) throw failure;
    },
  };
  return fake as unknown as ContainerEngine & { saves: number };
}

describe('reading an image from the engine', () => {
  const keep = () => false;

  it('streams the save once per image id; a second scan of the same id reads the kept archive', async () => {
    const fake = engine(reversed(LAYER0, LAYER1));
    const first = await scanImage({ engine: fake, image: 'app:1' });
    const second = await scanImage({ engine: fake, image: 'app:1' });
    expect(fake.saves).toBe(1);
    expect(second.packages).toEqual(first.packages);
    expect(second.findings.map((r) => r.message)).toEqual(first.findings.map((r) => r.message));
    forgetSavedImages();
    await scanImage({ engine: fake, image: 'app:1' });
    expect(fake.saves).toBe(2);
  });

  it("reports the engine's own failure, not the cut archive it left", async () => {
    const fake = engine(reversed(LAYER0, LAYER1), new Error('docker save app:1: daemon went away'));
    await expect(
      readImage(fake, 'app:1', 'sha256:abc', { keep, visitor: new SecretScanner() }),
    ).rejects.toThrow('docker save app:1: daemon went away');
  });

  it('refuses a corrupt archive from the engine as corrupt, and still lets the save finish', async () => {
    const broken = Buffer.from(reversed(LAYER0, LAYER1));
    broken.fill(0x41, 0, 100); // the first header's name and mode: its checksum no longer holds
    const fake = engine(broken);
    await expect(readImage(fake, 'app:1', 'sha256:abc', { keep })).rejects.toThrow(
      /^the image archive app:1 \(docker save\) is corrupt: a header checksum is wrong in its first header/,
    );
    expect(fake.saves).toBe(1);
  });
});

describe('files that cannot hold text', () => {
  it('reach the visitor without their bytes; a key store or a script still comes with them', async () => {
    const file = join(dir, 'binary.tar');
    const layer: TarEntry[] = [
      { path: 'usr/lib/python3.13/__pycache__/os.cpython-313.pyc', content: 'bytecode' },
      { path: 'usr/lib/libz.so.1.3', content: 'elf' },
      { path: 'usr/share/locale/de/LC_MESSAGES/apt.mo', content: 'catalog' },
      { path: 'app/keystore.p12', content: 'pkcs12' },
      { path: 'app/run.sh', content: 'echo hi' },
    ];
    await writeFile(file, reversed(layer, []));
    const seen: string[] = [];
    const visitor = {
      want: () => true,
      onFile: (f: { path: string }, content: Buffer | undefined) =>
        void seen.push(`${f.path} ${content ? 'bytes' : 'none'}`),
    };
    await readArchive('t', file, { keep: () => false, visitor });
    expect(seen.sort()).toEqual([
      'app/keystore.p12 bytes',
      'app/run.sh bytes',
      'usr/lib/libz.so.1.3 none',
      'usr/lib/python3.13/__pycache__/os.cpython-313.pyc none',
      'usr/share/locale/de/LC_MESSAGES/apt.mo none',
    ]);
  });
});

describe('files whose first bytes say binary', () => {
  // Past the head, so that only a file read to its end can show the token.
  const padding = 'x'.repeat(HEAD_BYTES + 100);
  const layer: TarEntry[] = [
    // An executable without a telling name: a NUL in its head, the token further on.
    { path: 'usr/bin/tool', content: Buffer.from(`\u007fELF\u0000${padding}${token}\n`) },
    // Text for its first HEAD_BYTES, a NUL only later: still read as text, to its end.
    { path: 'app/late-nul.txt', content: Buffer.from(`${padding}\u0000 TOKEN = "${token}"\n`) },
    { path: 'app/config.py', content: `${padding}\nTOKEN = "${token}"\n` },
    // A key store is a finding by its path alone, binary or not, long or short.
    { path: 'app/keystore.p12', content: Buffer.concat([Buffer.alloc(HEAD_BYTES * 2), Buffer.from(token)]) },
  ];

  it('give the visitor their head only; text files, a NUL past the head included, come whole', async () => {
    const file = join(dir, 'heads.tar');
    await writeFile(file, reversed(layer, []));
    const seen = new Map<string, number>();
    const visitor = {
      want: () => true,
      isBinary: (head: Buffer) => head.includes(0),
      onFile: (f: { path: string }, content: Buffer | undefined) =>
        void seen.set(f.path, content?.length ?? -1),
    };
    await readArchive('t', file, { keep: (path) => path === 'app/keystore.p12', visitor });
    expect(Object.fromEntries(seen)).toEqual({
      'usr/bin/tool': HEAD_BYTES,
      'app/late-nul.txt': Buffer.byteLength(layer[1]?.content as Buffer),
      'app/config.py': Buffer.byteLength(layer[2]?.content as string),
      // Kept for a cataloger: whole, whatever its bytes.
      'app/keystore.p12': HEAD_BYTES * 2 + token.length,
    });
  });

  it('are findings as before: the token in a text file, the key store by its path, not the executable', async () => {
    const file = join(dir, 'heads-scan.tar');
    await writeFile(file, reversed(layer, []));
    const report = await scanArchive(file, { ref: 'app:1' });
    const secrets = report.findings.filter((r) => r.id.startsWith('scan.secret.')).map((r) => r.message);
    expect(secrets.sort()).toEqual([
      'GitHub token in /app/config.py (layer 0): present in the final filesystem',
      'GitHub token in /app/late-nul.txt (layer 0): present in the final filesystem',
      'Pkcs12 file in /app/keystore.p12 (layer 0): present in the final filesystem',
    ]);
  });
});

describe('a save started before the read (prefetchImage)', () => {
  it('is the one the read takes: one save, and the same report as a save started by the read', async () => {
    const fake = engine(reversed(LAYER0, LAYER1));
    prefetchImage(fake, 'app:1', { keepArchive: false });
    const early = await scanImage({ engine: fake, image: 'app:1' });
    expect(fake.saves).toBe(1);
    // Not kept: the next read saves again.
    const late = await scanImage({ engine: fake, image: 'app:1' });
    expect(fake.saves).toBe(2);
    expect(early.findings.map((r) => r.message)).toEqual(late.findings.map((r) => r.message));
    expect(early.packages).toEqual(late.packages);
  });

  it('is kept for a second read when asked to, like a save the read starts', async () => {
    const fake = engine(reversed(LAYER0, LAYER1));
    prefetchImage(fake, 'app:1');
    await scanImage({ engine: fake, image: 'app:1' });
    await scanImage({ engine: fake, image: 'app:1' });
    expect(fake.saves).toBe(1);
  });

  it('runs to its end, its bytes thrown away, when it is dropped unread', async () => {
    // Bigger than every buffer on the way: an unread save would wait for its reader forever.
    const big = reversed([{ path: 'data.bin', content: Buffer.alloc(8 << 20) }], []);
    let ended = false;
    const fake = {
      kind: 'docker',
      saveImageTo: async (_ref: string, sink: NodeJS.WritableStream) => {
        await new Promise<void>((resolve) => sink.end(big, resolve));
        ended = true;
      },
    } as unknown as ContainerEngine;
    prefetchImage(fake, 'app:2', { keepArchive: false });
    await dropPrefetch('app:2');
    expect(ended).toBe(true);
    // Nothing is left for a read to take: it asks the engine again (here: no such image).
    const missing = { ...fake, inspectImage: async () => undefined } as unknown as ContainerEngine;
    await expect(readImage(missing, 'app:2', undefined, { keep: () => false })).rejects.toThrow(
      'the image app:2 is not in the docker engine',
    );
  });

  it("reports the engine's failure of an early save", async () => {
    const fake = engine(reversed(LAYER0, LAYER1), new Error('docker save app:1: daemon went away'));
    prefetchImage(fake, 'app:1', { keepArchive: false });
    await expect(readImage(fake, 'app:1', 'sha256:abc', { keep: () => false })).rejects.toThrow(
      'docker save app:1: daemon went away',
    );
  });
});

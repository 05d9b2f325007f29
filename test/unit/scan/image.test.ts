import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../../src/scan/image.js';
import { SecretScanner } from '../../../src/scan/secrets/index.js';
import { type TarEntry, tar, tarGz } from './tar-writer.js';

const sha = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const config = {
  architecture: 'amd64',
  os: 'linux',
  config: { User: '10001', Env: ['PATH=/usr/bin'], Healthcheck: { Test: ['NONE'] } },
  history: [{ created_by: 'COPY a' }, { created_by: 'ENV X=1', empty_layer: true }, { created_by: 'RUN rm' }],
};

/** `docker save` (Docker ≤ 24): manifest.json, a config file and one layer.tar per layer. */
function dockerArchive(layers: readonly TarEntry[][]): Buffer {
  const configJson = Buffer.from(JSON.stringify(config));
  const entries: TarEntry[] = [{ path: 'cfg.json', content: configJson }];
  const paths = layers.map((layer, i) => {
    entries.push({ path: `l${i}/layer.tar`, content: tar(layer) });
    return `l${i}/layer.tar`;
  });
  entries.push({ path: 'manifest.json', content: JSON.stringify([{ Config: 'cfg.json', Layers: paths }]) });
  return tar(entries);
}

/** An OCI image layout with gzip layers behind a nested index, as Docker 25+ and podman write it. */
function ociArchive(layers: readonly TarEntry[][]): Buffer {
  const blobs: TarEntry[] = [];
  const blob = (data: Buffer) => {
    blobs.push({ path: `blobs/sha256/${sha(data).slice(7)}`, content: data });
    return sha(data);
  };
  const configDigest = blob(Buffer.from(JSON.stringify(config)));
  const layerDigests = layers.map((layer) => blob(tarGz(layer)));
  const manifest = Buffer.from(
    JSON.stringify({
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest },
      layers: layerDigests.map((digest) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest,
      })),
    }),
  );
  const manifestDigest = blob(manifest);
  const inner = Buffer.from(
    JSON.stringify({
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          platform: { architecture: 'amd64' },
        },
      ],
    }),
  );
  const innerDigest = blob(inner);
  const index = {
    manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: innerDigest }],
  };
  return tar([
    { path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { path: 'index.json', content: JSON.stringify(index) },
    ...blobs,
  ]);
}

const longDir = `app/${'deep/'.repeat(25)}`;
const LAYERS: TarEntry[][] = [
  [
    { path: 'etc', type: 'dir' },
    { path: 'etc/keep.conf', content: 'a' },
    { path: 'etc/gone.conf', content: 'b' },
    { path: 'secrets', type: 'dir' },
    { path: 'secrets/id', content: `token ghp_${'a1B2c3D4e5F6g7H8i9J0kLmN'.repeat(2).slice(0, 36)}` },
    { path: 'data', type: 'dir' },
    { path: 'data/old.txt', content: 'old' },
    { path: `${longDir}file.txt`, content: 'long path' },
    { path: 'bin/su', mode: 0o4755, content: 'x' },
  ],
  [
    { path: 'etc/.wh.gone.conf' },
    { path: '.wh.secrets' },
    { path: 'data/.wh..wh..opq' },
    { path: 'data/new.txt', content: 'new' },
    { path: 'etc/keep.conf', content: 'replaced' },
  ],
];

describe('reading image archives', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-scan-unit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [format, build] of [
    ['docker', dockerArchive],
    ['oci', ociArchive],
  ] as const) {
    describe(`${format} archive`, () => {
      it('reads the config and the layers in order', async () => {
        const file = join(dir, `${format}.tar`);
        await writeFile(file, build(LAYERS));
        const { archive } = await readArchive('test', file, { keep: () => false });
        expect(archive.format).toBe(format);
        expect(archive.layers).toHaveLength(2);
        expect(archive.config).toMatchObject({
          user: '10001',
          healthcheck: undefined,
          env: ['PATH=/usr/bin'],
        });
        expect(archive.config.history.filter((h) => !h.emptyLayer).map((h) => h.createdBy)).toEqual([
          'COPY a',
          'RUN rm',
        ]);
      });

      it('applies whiteouts and opaque folders, and remembers what they hid', async () => {
        const file = join(dir, `${format}-walk.tar`);
        await writeFile(file, build(LAYERS));
        const scanner = new SecretScanner();
        const { fs } = await readArchive('test', file, {
          keep: (path) => path.startsWith('etc/'),
          visitor: scanner,
        });
        expect([...fs.files.keys()].filter((p) => !fs.files.get(p)?.type.startsWith('dir')).sort()).toEqual(
          ['bin/su', 'data/new.txt', `${longDir}file.txt`, 'etc/keep.conf'].sort(),
        );
        expect(fs.files.get('etc/keep.conf')?.content?.toString()).toBe('replaced');
        expect(fs.files.get('etc/keep.conf')?.layer).toBe(1);
        expect(fs.files.get('bin/su')?.mode).toBe(0o4755);
        const hidden = fs.hidden
          .map((h) => `${h.file.path}@${h.file.layer} ${h.how} by ${h.hiddenBy}`)
          .sort();
        expect(hidden).toEqual([
          'data/old.txt@0 deleted by 1',
          'etc/gone.conf@0 deleted by 1',
          'etc/keep.conf@0 replaced by 1',
          'secrets/id@0 deleted by 1',
        ]);
        // The deleted secret was still seen, in the layer that holds it.
        expect(scanner.hits.map((h) => `${h.rule.id} ${h.path} ${h.layer}`)).toEqual([
          'github-token secrets/id 0',
        ]);
      });
    });
  }

  it('refuses a file that is no image archive', async () => {
    const file = join(dir, 'plain.tar');
    await writeFile(file, tar([{ path: 'hello.txt', content: 'hi' }]));
    await expect(readArchive('test', file, { keep: () => false })).rejects.toThrow(
      /neither a Docker image archive nor an OCI image layout/,
    );
  });
});

/**
 * The two archive shapes an engine's image save produces: the Docker archive (`manifest.json`
 * naming a config file and layer tars) and the OCI image layout (`index.json` → manifest →
 * config and layer blobs). Docker 25+ writes both into one archive; the OCI index wins then,
 * because it is the standard and carries media types.
 */
import { open } from 'node:fs/promises';
import { EnvironmentError } from '../errors.js';
import { readHealthcheckTest } from '../policy/healthcheck.js';
import { type IndexedEntry, indexTar } from './tar.js';

export interface ImageConfig {
  readonly user: string;
  readonly env: readonly string[];
  /** `Healthcheck.Test` as stored; undefined without one (or when it is `["NONE"]`). */
  readonly healthcheck: readonly string[] | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly os: string;
  readonly architecture: string;
  readonly created: string | undefined;
  /** One entry per Dockerfile step; `emptyLayer` steps (ENV, LABEL…) made no layer. */
  readonly history: readonly { readonly createdBy: string; readonly emptyLayer: boolean }[];
  /** Layer digests (diff ids), oldest first. */
  readonly diffIds: readonly string[];
}

export interface LayerLocation {
  /** Path of the layer inside the archive. */
  readonly path: string;
  readonly offset: number;
  readonly size: number;
}

export interface ImageArchive {
  readonly format: 'docker' | 'oci';
  readonly config: ImageConfig;
  /** Oldest first, as they are applied. */
  readonly layers: readonly LayerLocation[];
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

async function readEntry(file: string, entry: IndexedEntry): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const data = Buffer.alloc(entry.header.size);
    await handle.read(data, 0, data.length, entry.offset);
    return data;
  } finally {
    await handle.close();
  }
}

function need(entries: Map<string, IndexedEntry>, path: string, file: string): IndexedEntry {
  const entry = entries.get(path);
  if (!entry) throw new EnvironmentError(`the image archive ${file} has no ${path}`);
  return entry;
}

async function json<T>(file: string, entries: Map<string, IndexedEntry>, path: string): Promise<T> {
  return JSON.parse((await readEntry(file, need(entries, path, file))).toString('utf8')) as T;
}

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return `blobs/${algorithm}/${hex}`;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os?: string; architecture?: string };
}

/** Follows nested indexes down to one image manifest, preferring the host's platform. */
async function ociManifest(file: string, entries: Map<string, IndexedEntry>): Promise<Descriptor> {
  let index = await json<{ manifests?: Descriptor[] }>(file, entries, 'index.json');
  for (let depth = 0; depth < 4; depth++) {
    const manifests = index.manifests ?? [];
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    const chosen =
      manifests.find((m) => m.platform?.architecture === arch && !INDEX_TYPES.has(m.mediaType ?? '')) ??
      manifests.find((m) => m.platform?.architecture !== 'unknown') ??
      manifests[0];
    if (!chosen) break;
    if (!INDEX_TYPES.has(chosen.mediaType ?? '')) return chosen;
    index = await json(file, entries, blobPath(chosen.digest));
  }
  throw new EnvironmentError(`the OCI layout in ${file} names no image manifest`);
}

interface RawConfig {
  architecture?: string;
  os?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[] | null;
    Labels?: Record<string, string> | null;
    Healthcheck?: { Test?: string[] | null } | null;
  };
  rootfs?: { diff_ids?: string[] };
  history?: { created_by?: string; empty_layer?: boolean }[];
}

function configOf(raw: RawConfig): ImageConfig {
  const test = raw.config?.Healthcheck?.Test ?? [];
  return {
    user: raw.config?.User ?? '',
    env: raw.config?.Env ?? [],
    healthcheck: readHealthcheckTest(test).kind === 'present' ? test : undefined,
    labels: raw.config?.Labels ?? {},
    os: raw.os ?? 'linux',
    architecture: raw.architecture ?? '',
    created: raw.created,
    history: (raw.history ?? []).map((h) => ({
      createdBy: h.created_by ?? '',
      emptyLayer: h.empty_layer ?? false,
    })),
    diffIds: raw.rootfs?.diff_ids ?? [],
  };
}

function location(entries: Map<string, IndexedEntry>, path: string, file: string): LayerLocation {
  const entry = need(entries, path, file);
  return { path, offset: entry.offset, size: entry.header.size };
}

/** Reads an image archive's config and where each layer lies, without loading the layers. */
export async function openArchive(file: string): Promise<ImageArchive> {
  const entries = await indexTar(file);
  if (entries.has('index.json') && entries.has('oci-layout')) {
    const descriptor = await ociManifest(file, entries);
    const manifest = await json<{ config: Descriptor; layers: Descriptor[] }>(
      file,
      entries,
      blobPath(descriptor.digest),
    );
    const config = configOf(await json<RawConfig>(file, entries, blobPath(manifest.config.digest)));
    const layers = manifest.layers.map((layer) => location(entries, blobPath(layer.digest), file));
    return { format: 'oci', config, layers };
  }
  if (entries.has('manifest.json')) {
    const [manifest] = await json<{ Config: string; Layers: string[] }[]>(file, entries, 'manifest.json');
    if (!manifest) throw new EnvironmentError(`the image archive ${file} lists no image in manifest.json`);
    const config = configOf(await json<RawConfig>(file, entries, manifest.Config));
    const layers = manifest.Layers.map((path) => location(entries, path, file));
    return { format: 'docker', config, layers };
  }
  throw new EnvironmentError(`${file} is neither a Docker image archive nor an OCI image layout`);
}

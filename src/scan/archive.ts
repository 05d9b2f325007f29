/**
 * The two archive shapes an engine's image save produces: the Docker archive (`manifest.json`
 * naming a config file and layer tars) and the OCI image layout (`index.json` → manifest →
 * config and layer blobs). Docker 25+ writes both into one archive; the OCI index wins then,
 * because it is the standard and carries media types. The archive has been read by then
 * (stream.ts): this puts its JSON entries and layers together.
 */
import { posix } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { readHealthcheckTest } from '../policy/healthcheck.js';
import type { LayerBlob, StreamedArchive } from './stream.js';

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

export interface ImageArchive {
  readonly format: 'docker' | 'oci';
  readonly config: ImageConfig;
  /** Archive paths of the layers, oldest first, as they are applied. */
  readonly layers: readonly string[];
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/** An entry's path with the archive's symbolic links followed. */
function resolve(streamed: StreamedArchive, path: string): string {
  let current = path;
  for (let hops = 0; hops < 8; hops++) {
    const target = streamed.links.get(current);
    if (target === undefined) return current;
    current = posix.normalize(posix.join(posix.dirname(current), target)).replace(/^(\.\/|\/)+/, '');
  }
  return current;
}

function json<T>(streamed: StreamedArchive, path: string, what: string): T {
  const data = streamed.metadata.get(resolve(streamed, path));
  if (!data) throw new EnvironmentError(`the image archive ${what} has no ${path}`);
  return JSON.parse(data.toString('utf8')) as T;
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
function ociManifest(streamed: StreamedArchive, what: string): Descriptor {
  let index = json<{ manifests?: Descriptor[] }>(streamed, 'index.json', what);
  for (let depth = 0; depth < 4; depth++) {
    const manifests = index.manifests ?? [];
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    const chosen =
      manifests.find((m) => m.platform?.architecture === arch && !INDEX_TYPES.has(m.mediaType ?? '')) ??
      manifests.find((m) => m.platform?.architecture !== 'unknown') ??
      manifests[0];
    if (!chosen) break;
    if (!INDEX_TYPES.has(chosen.mediaType ?? '')) return chosen;
    index = json(streamed, blobPath(chosen.digest), what);
  }
  throw new EnvironmentError(`the OCI layout in ${what} names no image manifest`);
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

/** The archive's layers in order, each as read in the pass; a layer that could not be read fails here. */
export function layersOf(streamed: StreamedArchive, archive: ImageArchive, what: string): LayerBlob[] {
  return archive.layers.map((path) => {
    const blob = streamed.blobs.get(resolve(streamed, path));
    if (!blob) throw new EnvironmentError(`the image archive ${what} has no ${path}`);
    if (blob instanceof Error) throw blob;
    return blob;
  });
}

/** The archive's config and which entries are its layers, from the JSON entries of the pass. */
export function resolveArchive(streamed: StreamedArchive, what: string): ImageArchive {
  const has = (path: string) => streamed.metadata.has(resolve(streamed, path));
  if (has('index.json') && has('oci-layout')) {
    const descriptor = ociManifest(streamed, what);
    const manifest = json<{ config: Descriptor; layers: Descriptor[] }>(
      streamed,
      blobPath(descriptor.digest),
      what,
    );
    const config = configOf(json<RawConfig>(streamed, blobPath(manifest.config.digest), what));
    return { format: 'oci', config, layers: manifest.layers.map((layer) => blobPath(layer.digest)) };
  }
  if (has('manifest.json')) {
    const [manifest] = json<{ Config: string; Layers: string[] }[]>(streamed, 'manifest.json', what);
    if (!manifest) throw new EnvironmentError(`the image archive ${what} lists no image in manifest.json`);
    const config = configOf(json<RawConfig>(streamed, manifest.Config, what));
    return { format: 'docker', config, layers: manifest.Layers };
  }
  throw new EnvironmentError(`${what} is neither a Docker image archive nor an OCI image layout`);
}

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ContainerEngine } from '../engines/engine.js';
import { EnvironmentError, ExecError } from '../errors.js';
import { exec, which } from '../util/exec.js';
import { CLUSTER_FIX } from './cluster.js';
import type { ImageLoader, LoadResult } from './loaders.js';

/** Where the test bed's containerd listens, then the usual places of a node's containerd. */
export const CONTAINERD_SOCKETS = [
  '/run/slipway-containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/run/k3s/containerd/containerd.sock',
];

/** The test bed's ctr matches its containerd; Docker's ctr on PATH is the fallback. */
export async function findCtr(): Promise<string | undefined> {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const testbed = join(cache, 'slipway-testbed', 'cluster-pkgs', 'containerd', 'usr', 'bin', 'ctr');
  return existsSync(testbed) ? testbed : which('ctr');
}

/** The name containerd (and the kubelet) give a Docker reference: docker.io/library/x:tag. */
export function containerdName(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  let name = ref;
  if (!ref.includes('/')) name = `docker.io/library/${ref}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${ref}`;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@') ? name : `${name}:latest`;
}

// The Docker image id is recorded on the containerd image, so an unchanged image is not re-imported
// (the same label scripts/testbed/cluster/load-image.sh writes).
const DOCKER_ID_LABEL = 'io.slipway.docker-id';

/** `docker save | ctr -a SOCKET -n k8s.io images import -`: the node's own image store. */
export class ContainerdLoader implements ImageLoader {
  readonly kind = 'containerd' as const;
  readonly description: string;

  constructor(
    private readonly socket: string,
    private readonly ctr: string,
  ) {
    this.description = `containerd at ${socket} (namespace k8s.io)`;
  }

  private ctrArgs(...args: string[]): string[] {
    return ['-a', this.socket, '-n', 'k8s.io', ...args];
  }

  async load(image: string, engine: ContainerEngine): Promise<LoadResult> {
    const info = await engine.inspectImage(image);
    if (!info) {
      throw new EnvironmentError(`the engine has no image ${image} to load into the cluster`, {
        fix: `build it first (slipway build), or pass an image the engine has with --image`,
      });
    }
    const name = containerdName(image);
    const listed = await exec(this.ctr, this.ctrArgs('images', 'ls', `name==${name}`), {
      allowFailure: true,
      timeoutMs: 30_000,
    });
    if (listed.code !== 0) {
      throw new EnvironmentError(
        `containerd does not answer on ${this.socket}: ${listed.stderr.trim().split('\n').pop() ?? ''}`,
        { fix: `${CLUSTER_FIX}; or name the node's socket with --containerd-socket` },
      );
    }
    if (listed.stdout.includes(`${DOCKER_ID_LABEL}=${info.id}`)) return { image, loaded: false };
    await this.importFrom(engine, image);
    await exec(this.ctr, this.ctrArgs('images', 'label', name, `${DOCKER_ID_LABEL}=${info.id}`), {
      timeoutMs: 30_000,
    });
    return { image, loaded: true };
  }

  private async importFrom(engine: ContainerEngine, image: string): Promise<void> {
    const pipe = new PassThrough();
    let saved: unknown;
    // A failed save ends ctr's stdin early; the save's own error then says which side failed.
    const saving = engine.saveImageTo(image, pipe).catch((error: unknown) => {
      saved = error;
      pipe.end();
    });
    const imported = exec(this.ctr, this.ctrArgs('images', 'import', '-'), {
      input: pipe,
      allowFailure: true,
    });
    const [result] = await Promise.all([imported, saving]);
    if (saved) throw saved;
    if (result.code !== 0) {
      throw new ExecError(
        `${this.ctr} images import -`,
        process.cwd(),
        result.code,
        result.stderr,
        result.signal,
      );
    }
  }
}

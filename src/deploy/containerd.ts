import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
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

  private importFrom(engine: ContainerEngine, image: string): Promise<void> {
    const args = this.ctrArgs('images', 'import', '-');
    return new Promise((resolve, reject) => {
      const ctr = spawn(this.ctr, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      ctr.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      let saved: unknown;
      // A failed save closes ctr's stdin early; ctr's own exit then tells which side failed.
      engine.saveImageTo(image, ctr.stdin).catch((error: unknown) => {
        saved = error;
        ctr.stdin.end();
      });
      ctr.stdin.on('error', () => undefined);
      ctr.on('error', reject);
      ctr.on('close', (code, signal) => {
        if (saved) reject(saved);
        else if (code === 0) resolve();
        else reject(new ExecError(`${this.ctr} ${args.join(' ')}`, process.cwd(), code, stderr, signal));
      });
    });
  }
}

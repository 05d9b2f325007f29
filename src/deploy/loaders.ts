import { existsSync } from 'node:fs';
import type { ContainerEngine } from '../engines/engine.js';
import { EnvironmentError } from '../errors.js';
import { exec, which } from '../util/exec.js';
import { CONTAINERD_SOCKETS, ContainerdLoader, findCtr } from './containerd.js';

/** One way to make an image available to a cluster's nodes; chosen by detection. */
export interface ImageLoader {
  readonly kind: 'registry' | 'containerd' | 'kind' | 'minikube' | 'k3d';
  /** Where the image goes, for the report. */
  readonly description: string;
  load(image: string, engine: ContainerEngine): Promise<LoadResult>;
}

export interface LoadResult {
  readonly image: string;
  /** False when the cluster already held this exact image. */
  readonly loaded: boolean;
}

/** Pushes to the registry named in [tool.slipway] image.registry; nodes pull from there. */
class RegistryLoader implements ImageLoader {
  readonly kind = 'registry' as const;
  constructor(readonly description: string) {}
  async load(image: string, engine: ContainerEngine): Promise<LoadResult> {
    await engine.push(image);
    return { image, loaded: true };
  }
}

/** kind, minikube and k3d copy an image from the local engine into their nodes themselves. */
class ToolLoader implements ImageLoader {
  constructor(
    readonly kind: 'kind' | 'minikube' | 'k3d',
    private readonly binary: string,
    private readonly args: (image: string) => string[],
    readonly description: string,
  ) {}
  async load(image: string): Promise<LoadResult> {
    await exec(this.binary, this.args(image), { timeoutMs: 600_000 });
    return { image, loaded: true };
  }
}

export interface LoaderDetection {
  readonly context: string;
  /** The API server's URL: a containerd socket on this machine only serves a cluster on it. */
  readonly server: string;
  /** [tool.slipway] image.registry */
  readonly registry: string | undefined;
  /** --containerd-socket */
  readonly containerdSocket?: string;
  /** Injected by tests. @default PATH lookup */
  readonly which?: (command: string) => Promise<string | undefined>;
  /** Injected by tests. @default the file system */
  readonly exists?: (path: string) => boolean;
  /** Injected by tests. @default the test bed's ctr, then ctr on PATH */
  readonly findCtr?: () => Promise<string | undefined>;
}

const LOCAL_SERVER = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * Registry first (any cluster can pull); then the tool that owns a kind-*, minikube or k3d-*
 * context; then a containerd socket on this machine for a cluster whose API server is here.
 */
export async function detectLoader(input: LoaderDetection): Promise<ImageLoader> {
  const lookup = input.which ?? which;
  const exists = input.exists ?? existsSync;
  if (input.registry) return new RegistryLoader(`registry ${input.registry} (push)`);
  const tool = toolFor(input.context);
  if (tool) {
    const binary = await lookup(tool.kind);
    if (!binary) {
      throw new EnvironmentError(
        `context ${input.context} is a ${tool.kind} cluster, but ${tool.kind} is not on PATH to load the image`,
        { fix: `install ${tool.kind}, or set [tool.slipway] image.registry to push the image instead` },
      );
    }
    return new ToolLoader(tool.kind, binary, tool.args, `${tool.kind} (${tool.cluster})`);
  }
  const explicit = input.containerdSocket ?? process.env.SLIPWAY_CONTAINERD_SOCKET;
  const socket =
    explicit ?? (LOCAL_SERVER.test(input.server) ? CONTAINERD_SOCKETS.find((s) => exists(s)) : undefined);
  if (socket) {
    if (!exists(socket)) {
      throw new EnvironmentError(`no containerd socket at ${socket}`, {
        fix: 'name the node containerd socket with --containerd-socket',
      });
    }
    const ctr = await (input.findCtr ?? findCtr)();
    if (!ctr) {
      throw new EnvironmentError('ctr (containerd client) is not installed to load the image', {
        fix: 'bash scripts/testbed/cluster/up.sh   (keeps a ctr in the test bed cache)',
      });
    }
    return new ContainerdLoader(socket, ctr);
  }
  throw new EnvironmentError(
    `no way to get the image to the cluster of context ${input.context} (${input.server}): no registry is configured and the cluster is not a local one`,
    { fix: 'set [tool.slipway] image.registry to push the image, or pass --no-load if the nodes have it' },
  );
}

function toolFor(context: string) {
  const kind = /^kind-(.+)$/.exec(context)?.[1];
  if (kind) {
    return {
      kind: 'kind' as const,
      cluster: kind,
      args: (image: string) => ['load', 'docker-image', image, '--name', kind],
    };
  }
  if (context === 'minikube') {
    return {
      kind: 'minikube' as const,
      cluster: 'minikube',
      args: (image: string) => ['image', 'load', image, '-p', 'minikube'],
    };
  }
  const k3d = /^k3d-(.+)$/.exec(context)?.[1];
  if (k3d) {
    return {
      kind: 'k3d' as const,
      cluster: k3d,
      args: (image: string) => ['image', 'import', image, '-c', k3d],
    };
  }
  return undefined;
}

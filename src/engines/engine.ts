/** The one interface to container engines; nothing outside src/engines spawns `docker` or `podman`. */

export type EngineKind = 'docker' | 'podman';

export interface EngineInfo {
  readonly kind: EngineKind;
  /** Absolute path of the CLI, when found on PATH. */
  readonly binary: string | undefined;
  readonly clientVersion: string | undefined;
  /** Set when the daemon (or podman's service) answered. */
  readonly serverVersion: string | undefined;
  /** Why the engine could not be reached, in the engine's own words. */
  readonly error: string | undefined;
  /** BuildKit (docker buildx) or buildah (podman): the builder that supports cache and secret mounts. */
  readonly builder: { readonly available: boolean; readonly version: string | undefined };
}

export interface ImageInfo {
  readonly id: string;
  readonly repoTags: readonly string[];
  readonly size: number;
  readonly user: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly env: readonly string[];
  readonly exposedPorts: readonly string[];
  readonly created: string;
  /** The image's HEALTHCHECK; undefined when it has none (or `HEALTHCHECK NONE`). */
  readonly healthcheck?: ImageHealthcheck;
}

export interface ImageHealthcheck {
  /** As stored in the image config, e.g. `["CMD", "python", "-c", "…"]` or `["CMD-SHELL", "…"]`. */
  readonly test: readonly string[];
  /** Zero when the image leaves the engine's default. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly startPeriodMs: number;
  readonly retries: number;
}

export interface BuildRequest {
  /** Build context folder. */
  readonly context: string;
  /** Dockerfile path. @default `<context>/Dockerfile` */
  readonly dockerfile?: string;
  readonly tags: readonly string[];
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Labels set on the final image (`--label`), beside the Dockerfile's own LABELs. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly target?: string;
  /** BuildKit secret mounts: id → file on the host. Never passed as ARG or ENV. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Build without any cache. @default false */
  readonly noCache?: boolean;
  /** Each line of the builder's progress output. */
  readonly onProgress?: (line: string) => void;
}

export interface BuildResult {
  readonly imageId: string;
  /** The builder's plain progress output (cache hits, step names). */
  readonly log: string;
}

export interface PublishedPort {
  readonly containerPort: number;
  /** @default 127.0.0.1: tests only ever listen on loopback */
  readonly hostIp?: string;
  /** @default a free port chosen by the engine */
  readonly hostPort?: number;
}

export interface RunRequest {
  readonly image: string;
  readonly name?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly publish?: readonly PublishedPort[];
  readonly user?: string;
  readonly readOnlyRootFilesystem?: boolean;
  /** Mount points for tmpfs, e.g. `/tmp`. */
  readonly tmpfs?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly securityOpt?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly entrypoint?: string;
  readonly command?: readonly string[];
  /** Read-only bind mounts: host path → container path. */
  readonly binds?: Readonly<Record<string, string>>;
  readonly network?: string;
  /** Extra host names the container answers to on `network` (a user-defined network's DNS). */
  readonly networkAliases?: readonly string[];
  /**
   * A KEY=VALUE file the engine reads into the container's environment: how secrets reach a
   * container without passing through any process's arguments or environment (like a Secret).
   */
  readonly envFile?: string;
  /**
   * Runs the image's own HEALTHCHECK command this often instead of its interval (whole seconds):
   * verify's way to see the health state move within seconds. The command, timeout and retries stay.
   */
  readonly healthIntervalSeconds?: number;
}

export interface LayerInfo {
  readonly size: number;
  /** The Dockerfile instruction, as the engine recorded it. */
  readonly createdBy: string;
  /** Metadata-only steps (ENV, LABEL, CMD...) make no layer of their own. */
  readonly empty: boolean;
}

export interface ContainerState {
  readonly running: boolean;
  readonly exitCode: number;
  readonly health: string | undefined;
  readonly oomKilled: boolean;
  /** Output of the latest HEALTHCHECK probes, oldest first (absent without a HEALTHCHECK). */
  readonly healthLog?: readonly string[];
}

export interface ExecInRequest {
  /** `uid[:gid]` to run as. @default the container's user */
  readonly user?: string;
  /** Kill the engine CLI (and so the exec) after this many milliseconds. @default 60000 */
  readonly timeoutMs?: number;
}

export interface ExecInResult {
  readonly stdout: string;
  readonly stderr: string;
  /** null when the exec was killed (timeout). */
  readonly code: number | null;
}

export interface ContainerEngine {
  readonly kind: EngineKind;
  probe(): Promise<EngineInfo>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  /** Whether a registry answers for this reference (no layers are downloaded). */
  canPull(ref: string, timeoutMs?: number): Promise<boolean>;
  build(request: BuildRequest): Promise<BuildResult>;
  /** Starts a detached container and returns its id. */
  run(request: RunRequest): Promise<string>;
  /** Runs a container to completion and returns its output. */
  runOnce(
    request: RunRequest,
    timeoutMs?: number,
  ): Promise<{ stdout: string; stderr: string; code: number | null }>;
  hostPort(container: string, containerPort: number): Promise<{ host: string; port: number }>;
  state(container: string): Promise<ContainerState>;
  logs(container: string): Promise<string>;
  stop(container: string, graceSeconds: number): Promise<void>;
  /** Force-removes containers; unknown ids are ignored. */
  removeContainers(ids: readonly string[]): Promise<void>;
  /** Removes images; unknown references are ignored. */
  removeImages(refs: readonly string[]): Promise<void>;
  /** Ids of containers carrying this label (key=value). */
  containersWithLabel(label: string): Promise<string[]>;
  /** The image's layers, oldest first, with the instruction that made each. */
  history(ref: string): Promise<LayerInfo[]>;
  /** Runs a program (no shell) inside a running container; a non-zero exit is returned, not thrown. */
  execIn(container: string, command: readonly string[], request?: ExecInRequest): Promise<ExecInResult>;
  /** Sends a signal (e.g. `SIGTERM`) to the container's main process. */
  kill(container: string, signal: string): Promise<void>;
  /** Writes the image as an archive (Docker archive or OCI layout, as the engine saves it) to `file`. */
  saveImage(ref: string, file: string): Promise<void>;
  /** Streams the image archive (as `saveImage` writes it) into `sink`, e.g. another program's stdin. */
  saveImageTo(ref: string, sink: NodeJS.WritableStream): Promise<void>;
  /** Adds the tag `target` to the local image `source`. */
  tag(source: string, target: string): Promise<void>;
  /** Pushes a tag to its registry (the engine's own login is used). */
  push(ref: string): Promise<void>;
  /**
   * Creates a user-defined bridge network (containers on it reach each other by name and alias,
   * nothing else joins it) carrying these labels.
   */
  createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void>;
  /** Removes networks by name or id; unknown ones are ignored. */
  removeNetworks(names: readonly string[]): Promise<void>;
  /** Names (or ids) of networks carrying this label (key=value). */
  networksWithLabel(label: string): Promise<string[]>;
}

/** Every container slipway starts carries this label, so that cleanup can find it. */
export const OWNER_LABEL = 'io.slipway.owner';
/** Stand-in base images built by scripts/testbed carry this label. */
export const STAND_IN_LABEL = 'io.slipway.stand-in';

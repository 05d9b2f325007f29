import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, which } from '../util/exec.js';
import {
  type BuildRequest,
  type BuildResult,
  type ContainerEngine,
  type ContainerState,
  type EngineInfo,
  type EngineKind,
  type ExecInRequest,
  type ImageInfo,
  type LayerInfo,
  OWNER_LABEL,
  type RunRequest,
} from './engine.js';
import { parseHistory, parseImageInspect, parseState } from './inspect.js';

/**
 * Docker and Podman share most of their command line; the differences (how to build with
 * BuildKit/buildah, how to read versions) live in the two subclasses.
 */
export abstract class CliEngine implements ContainerEngine {
  abstract readonly kind: EngineKind;
  protected constructor(protected readonly binary: string) {}

  abstract probe(): Promise<EngineInfo>;
  protected abstract buildCommand(request: BuildRequest, iidFile: string): string[];
  /** Whether the builder's stdout is progress too (podman), not only its stderr (BuildKit). */
  protected readonly progressOnStdout: boolean = false;

  /** The flags docker buildx and podman build share: Dockerfile, tags, args, labels, secrets, target, cache. */
  protected buildFlags(request: BuildRequest): string[] {
    const args: string[] = [];
    if (request.dockerfile) args.push('--file', request.dockerfile);
    for (const tag of request.tags) args.push('--tag', tag);
    for (const [key, value] of Object.entries(request.buildArgs ?? {}))
      args.push('--build-arg', `${key}=${value}`);
    for (const [key, value] of Object.entries(request.labels ?? {})) args.push('--label', `${key}=${value}`);
    for (const [id, src] of Object.entries(request.secrets ?? {}))
      args.push('--secret', `id=${id},src=${src}`);
    if (request.target) args.push('--target', request.target);
    if (request.noCache) args.push('--no-cache');
    return args;
  }

  protected async cli(args: readonly string[], timeoutMs?: number) {
    return exec(this.binary, args, timeoutMs === undefined ? {} : { timeoutMs });
  }

  async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    const result = await exec(this.binary, ['image', 'inspect', ref], { allowFailure: true });
    if (result.code !== 0) return undefined;
    return parseImageInspect(result.stdout);
  }

  async canPull(ref: string, timeoutMs = 15_000): Promise<boolean> {
    const result = await exec(this.binary, ['manifest', 'inspect', ref], { allowFailure: true, timeoutMs });
    return result.code === 0 && !result.timedOut;
  }

  async build(request: BuildRequest): Promise<BuildResult> {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-build-'));
    const iidFile = join(dir, 'iid');
    try {
      let pending = '';
      const onChunk = request.onProgress
        ? (chunk: string) => {
            pending += chunk;
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines) request.onProgress?.(line);
          }
        : undefined;
      // podman build writes its STEP lines to stdout and the steps' own output to stderr.
      let pendingOut = '';
      const onOutChunk =
        request.onProgress && this.progressOnStdout
          ? (chunk: string) => {
              pendingOut += chunk;
              const lines = pendingOut.split('\n');
              pendingOut = lines.pop() ?? '';
              for (const line of lines) request.onProgress?.(line);
            }
          : undefined;
      const result = await exec(this.binary, this.buildCommand(request, iidFile), {
        ...(onChunk ? { onStderr: onChunk } : {}),
        ...(onOutChunk ? { onStdout: onOutChunk } : {}),
      });
      if (pending) request.onProgress?.(pending);
      if (pendingOut) request.onProgress?.(pendingOut);
      const imageId = (await readFile(iidFile, 'utf8')).trim();
      return { imageId, log: result.stderr + result.stdout };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  protected runArgs(request: RunRequest): string[] {
    const args: string[] = ['--label', `${OWNER_LABEL}=slipway`];
    if (request.name) args.push('--name', request.name);
    for (const [key, value] of Object.entries(request.labels ?? {})) args.push('--label', `${key}=${value}`);
    // Values go through the environment of the engine CLI, never its argument list, so they do
    // not show up in `ps` output or in error messages.
    for (const key of Object.keys(request.env ?? {})) args.push('--env', key);
    for (const port of request.publish ?? []) {
      args.push('--publish', `${port.hostIp ?? '127.0.0.1'}:${port.hostPort ?? ''}:${port.containerPort}`);
    }
    if (request.user) args.push('--user', request.user);
    if (request.readOnlyRootFilesystem) args.push('--read-only');
    for (const path of request.tmpfs ?? []) args.push('--tmpfs', path);
    for (const cap of request.capDrop ?? []) args.push('--cap-drop', cap);
    for (const opt of request.securityOpt ?? []) args.push('--security-opt', opt);
    for (const [host, container] of Object.entries(request.binds ?? {})) {
      args.push('--mount', `type=bind,source=${host},target=${container},readonly`);
    }
    if (request.network) args.push('--network', request.network);
    for (const alias of request.networkAliases ?? []) args.push('--network-alias', alias);
    if (request.envFile) args.push('--env-file', request.envFile);
    if (request.healthIntervalSeconds) args.push('--health-interval', `${request.healthIntervalSeconds}s`);
    if (request.entrypoint !== undefined) args.push('--entrypoint', request.entrypoint);
    args.push(request.image, ...(request.command ?? []));
    return args;
  }

  private envFor(request: RunRequest): NodeJS.ProcessEnv {
    return { ...process.env, ...(request.env ?? {}) };
  }

  async run(request: RunRequest): Promise<string> {
    const result = await exec(this.binary, ['run', '--detach', ...this.runArgs(request)], {
      env: this.envFor(request),
    });
    return result.stdout.trim();
  }

  async runOnce(request: RunRequest, timeoutMs = 120_000) {
    const name = request.name ?? `slipway-once-${process.pid}-${Date.now()}`;
    try {
      const result = await exec(this.binary, ['run', '--rm', ...this.runArgs({ ...request, name })], {
        env: this.envFor(request),
        allowFailure: true,
        timeoutMs,
      });
      return { stdout: result.stdout, stderr: result.stderr, code: result.code };
    } finally {
      await this.removeContainers([name]);
    }
  }

  async hostPort(container: string, containerPort: number): Promise<{ host: string; port: number }> {
    const result = await this.cli(['port', container, `${containerPort}/tcp`]);
    for (const line of result.stdout.split('\n')) {
      const match = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(line.trim());
      if (match?.[1] && match[2]) return { host: match[1], port: Number(match[2]) };
    }
    throw new Error(`no IPv4 host port published for ${container} port ${containerPort}: ${result.stdout}`);
  }

  async state(container: string): Promise<ContainerState> {
    const result = await this.cli(['inspect', '--format', '{{json .State}}', container]);
    return parseState(result.stdout);
  }

  async logs(container: string): Promise<string> {
    const result = await exec(this.binary, ['logs', container], { allowFailure: true });
    return result.stdout + result.stderr;
  }

  async stop(container: string, graceSeconds: number): Promise<void> {
    await this.cli(['stop', '--time', String(graceSeconds), container]);
  }

  async removeContainers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await exec(this.binary, ['rm', '--force', '--volumes', ...ids], { allowFailure: true });
  }

  async removeImages(refs: readonly string[]): Promise<void> {
    if (refs.length === 0) return;
    await exec(this.binary, ['rmi', '--force', ...refs], { allowFailure: true });
  }

  async history(ref: string): Promise<LayerInfo[]> {
    const result = await this.cli([
      'image',
      'history',
      '--no-trunc',
      '--human=false',
      '--format',
      '{{json .}}',
      ref,
    ]);
    return parseHistory(result.stdout);
  }

  async execIn(container: string, command: readonly string[], request: ExecInRequest = {}) {
    const args = ['exec', ...(request.user ? ['--user', request.user] : []), container, ...command];
    const result = await exec(this.binary, args, {
      allowFailure: true,
      timeoutMs: request.timeoutMs ?? 60_000,
    });
    return { stdout: result.stdout, stderr: result.stderr, code: result.timedOut ? null : result.code };
  }

  async kill(container: string, signal: string): Promise<void> {
    await this.cli(['kill', '--signal', signal, container]);
  }

  async saveImage(ref: string, file: string): Promise<void> {
    // `--output` rather than stdout: the archive can be hundreds of megabytes.
    await this.cli(['save', '--output', file, ref]);
  }

  async saveImageTo(ref: string, sink: NodeJS.WritableStream): Promise<void> {
    // Streamed, not captured: the archive is hundreds of MB.
    await exec(this.binary, ['save', ref], { stdoutTo: sink });
  }

  async tag(source: string, target: string): Promise<void> {
    await this.cli(['tag', source, target]);
  }

  async push(ref: string): Promise<void> {
    await this.cli(['push', ref]);
  }

  async createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<void> {
    const args = ['network', 'create'];
    for (const [key, value] of Object.entries(labels)) args.push('--label', `${key}=${value}`);
    await this.cli([...args, name]);
  }

  async removeNetworks(names: readonly string[]): Promise<void> {
    // One at a time: an unknown name makes some engines stop before the others.
    for (const name of new Set(names)) {
      await exec(this.binary, ['network', 'rm', name], { allowFailure: true });
    }
  }

  async networksWithLabel(label: string): Promise<string[]> {
    const result = await this.cli(['network', 'ls', '--quiet', '--filter', `label=${label}`]);
    return result.stdout.split('\n').filter(Boolean);
  }

  async containersWithLabel(label: string): Promise<string[]> {
    const result = await this.cli(['ps', '--all', '--quiet', '--filter', `label=${label}`]);
    return result.stdout.split('\n').filter(Boolean);
  }
}

export async function findBinary(name: string): Promise<string | undefined> {
  return which(name);
}

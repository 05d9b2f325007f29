import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../util/exec.js';
import { CliEngine } from './cli-engine.js';
import { firstLine } from './docker.js';
import type { BuildRequest, BuildResult, ContainerState, EngineInfo, ImageInfo } from './engine.js';
import { dueHealthcheck } from './inspect.js';
import { absoluteMountTargets } from './mount-targets.js';

// Re-exported: callers (and the unit tests) import it with the engine that uses it.
export { absoluteMountTargets };

/**
 * Podman (rootful or rootless, no service needed) building with buildah, which supports the same
 * cache, bind and secret mounts as BuildKit. Differences from Docker handled here:
 * - `--format docker`: buildah writes OCI images by default, and OCI image configs have no
 *   HEALTHCHECK field, so the image's HEALTHCHECK would be dropped;
 * - buildah before 1.29 rejects relative `RUN --mount` targets, which BuildKit resolves against
 *   WORKDIR (the generated Dockerfile uses them): such builds get a copy of the Dockerfile with
 *   the targets made absolute;
 * - podman schedules HEALTHCHECK probes with systemd timers: without systemd, `state()` runs the
 *   due probe itself, so the health state still moves;
 * - image ids come without the `sha256:` prefix that the iidfile (and Docker) carry.
 */
export class PodmanEngine extends CliEngine {
  readonly kind = 'podman' as const;
  protected override readonly progressOnStdout = true;
  private buildahVersion: Promise<string | undefined> | undefined;

  constructor(binary = 'podman') {
    super(binary);
  }

  async probe(): Promise<EngineInfo> {
    // `podman info` rather than `podman version`: it opens the storage and the runtime, so it
    // fails the way a build or run would (and it alone names the buildah version).
    const info = await exec(this.binary, ['info', '--format', 'json'], {
      allowFailure: true,
      timeoutMs: 30_000,
    });
    let serverVersion: string | undefined;
    let buildah: string | undefined;
    try {
      const parsed = JSON.parse(info.stdout) as PodmanInfo;
      serverVersion = info.code === 0 ? parsed.version?.Version : undefined;
      buildah = parsed.host?.buildahVersion;
    } catch {
      // not JSON: podman failed before it could answer
    }
    const version = await exec(this.binary, ['version', '--format', '{{.Client.Version}}'], {
      allowFailure: true,
      timeoutMs: 20_000,
    });
    const clientVersion = version.code === 0 ? version.stdout.trim() || undefined : undefined;
    return {
      kind: this.kind,
      binary: this.binary,
      clientVersion,
      serverVersion,
      error: serverVersion ? undefined : firstLine(info.stderr) || 'podman did not answer',
      // buildah is compiled into podman: when podman answers, it can build.
      builder: { available: serverVersion !== undefined, version: buildah },
    };
  }

  protected buildCommand(request: BuildRequest, iidFile: string): string[] {
    return [
      'build',
      '--layers',
      '--format',
      'docker',
      // Like `docker buildx build`: a base image present locally is used without asking a registry.
      '--pull=missing',
      '--iidfile',
      iidFile,
      ...this.buildFlags(request),
      request.context,
    ];
  }

  override async build(request: BuildRequest): Promise<BuildResult> {
    if (!needsAbsoluteMountTargets(await this.buildah())) return super.build(request);
    const dockerfile = request.dockerfile ?? join(request.context, 'Dockerfile');
    const rewritten = await absoluteMountTargets(await readFile(dockerfile, 'utf8'), (image) =>
      this.workdirOf(image),
    );
    if (rewritten === undefined) return super.build(request);
    const dir = await mkdtemp(join(tmpdir(), 'slipway-podman-'));
    try {
      const copy = join(dir, 'Dockerfile');
      await writeFile(copy, rewritten);
      request.onProgress?.(
        `slipway: buildah ${await this.buildah()} needs absolute RUN --mount targets; building ${dockerfile} with them resolved against WORKDIR`,
      );
      return await super.build({ ...request, dockerfile: copy });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  override async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    const info = await super.inspectImage(ref);
    if (!info || info.id.includes(':')) return info;
    return { ...info, id: `sha256:${info.id}` };
  }

  override async removeContainers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // podman 4.3: `rm --force` given one unknown id removes none of the others and still exits 0;
    // with --ignore it skips only the unknown one.
    await exec(this.binary, ['rm', '--force', '--ignore', '--volumes', ...ids], { allowFailure: true });
  }

  override async state(container: string): Promise<ContainerState> {
    if (!healthTimersWork()) await this.runDueHealthcheck(container);
    return super.state(container);
  }

  /**
   * Stands in for the systemd timer podman would have started: runs `podman healthcheck run`
   * once the image's interval has passed since the last probe (or the start), as the timer would.
   */
  private async runDueHealthcheck(container: string): Promise<void> {
    const result = await exec(this.binary, ['container', 'inspect', '--format', 'json', container], {
      allowFailure: true,
    });
    if (result.code !== 0) return;
    const due = dueHealthcheck(result.stdout, Date.now());
    if (!due) return;
    // A failing probe exits 1 and is recorded in the health log: not an error here.
    await exec(this.binary, ['healthcheck', 'run', container], {
      allowFailure: true,
      timeoutMs: due.timeoutMs + 10_000,
    });
  }

  private buildah(): Promise<string | undefined> {
    this.buildahVersion ??= exec(this.binary, ['info', '--format', '{{.Host.BuildahVersion}}'], {
      allowFailure: true,
      timeoutMs: 30_000,
    }).then((result) => (result.code === 0 ? result.stdout.trim() || undefined : undefined));
    return this.buildahVersion;
  }

  private async workdirOf(image: string): Promise<string> {
    const result = await exec(
      this.binary,
      ['image', 'inspect', '--format', '{{.Config.WorkingDir}}', image],
      {
        allowFailure: true,
      },
    );
    return result.code === 0 ? result.stdout.trim() || '/' : '/';
  }
}

/** systemd's own test (sd_booted): podman's HEALTHCHECK timers need systemd as init. */
function healthTimersWork(): boolean {
  return existsSync('/run/systemd/system');
}

/** buildah resolves relative RUN --mount targets against WORKDIR from 1.29 on. */
export function needsAbsoluteMountTargets(buildahVersion: string | undefined): boolean {
  const match = /^(\d+)\.(\d+)/.exec(buildahVersion ?? '');
  if (!match) return true;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < 1 || (major === 1 && minor < 29);
}

interface PodmanInfo {
  version?: { Version?: string };
  host?: { buildahVersion?: string };
}

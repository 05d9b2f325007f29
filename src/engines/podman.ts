import { exec } from '../util/exec.js';
import { CliEngine } from './cli-engine.js';
import { firstLine } from './docker.js';
import type { BuildRequest, EngineInfo } from './engine.js';

/** Podman builds with buildah, which supports the same cache, bind and secret mounts. */
export class PodmanEngine extends CliEngine {
  readonly kind = 'podman' as const;

  constructor(binary = 'podman') {
    super(binary);
  }

  async probe(): Promise<EngineInfo> {
    const version = await exec(this.binary, ['version', '--format', 'json'], {
      allowFailure: true,
      timeoutMs: 20_000,
    });
    let clientVersion: string | undefined;
    let serverVersion: string | undefined;
    let buildah: string | undefined;
    try {
      const parsed = JSON.parse(version.stdout) as {
        Client?: { Version?: string; BuildahVersion?: string };
        Server?: { Version?: string } | null;
      };
      clientVersion = parsed.Client?.Version;
      // Rootful or rootless podman without a remote service answers as its own server.
      serverVersion = parsed.Server?.Version ?? (version.code === 0 ? clientVersion : undefined);
      buildah = parsed.Client?.BuildahVersion;
    } catch {
      // not JSON
    }
    return {
      kind: this.kind,
      binary: this.binary,
      clientVersion,
      serverVersion,
      error: serverVersion ? undefined : firstLine(version.stderr) || 'podman did not answer',
      builder: { available: serverVersion !== undefined, version: buildah },
    };
  }

  protected buildCommand(request: BuildRequest, iidFile: string): string[] {
    return ['build', '--layers', '--iidfile', iidFile, ...this.buildFlags(request), request.context];
  }
}

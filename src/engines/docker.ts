import { exec } from '../util/exec.js';
import { CliEngine } from './cli-engine.js';
import type { BuildRequest, EngineInfo } from './engine.js';

/** Docker with BuildKit through the buildx plugin; the legacy builder is never used. */
export class DockerEngine extends CliEngine {
  readonly kind = 'docker' as const;

  constructor(binary = 'docker') {
    super(binary);
  }

  async probe(): Promise<EngineInfo> {
    const version = await exec(this.binary, ['version', '--format', '{{json .}}'], {
      allowFailure: true,
      timeoutMs: 20_000,
    });
    let clientVersion: string | undefined;
    let serverVersion: string | undefined;
    try {
      const parsed = JSON.parse(version.stdout.trim().split('\n')[0] ?? '') as {
        Client?: { Version?: string };
        Server?: { Version?: string } | null;
      };
      clientVersion = parsed.Client?.Version;
      serverVersion = parsed.Server?.Version ?? undefined;
    } catch {
      // not JSON: the client failed before it could print anything
    }
    const buildx = await exec(this.binary, ['buildx', 'version'], { allowFailure: true, timeoutMs: 20_000 });
    const buildxVersion = /\bv?(\d+\.\d+\.\d+\S*)/.exec(buildx.stdout)?.[1];
    return {
      kind: this.kind,
      binary: this.binary,
      clientVersion,
      serverVersion,
      error: serverVersion ? undefined : firstLine(version.stderr) || 'the Docker daemon did not answer',
      builder: { available: buildx.code === 0, version: buildxVersion },
    };
  }

  protected buildCommand(request: BuildRequest, iidFile: string): string[] {
    return [
      'buildx',
      'build',
      '--load',
      '--progress',
      'plain',
      '--iidfile',
      iidFile,
      ...this.buildFlags(request),
      request.context,
    ];
  }
}

export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean) ?? ''
  );
}

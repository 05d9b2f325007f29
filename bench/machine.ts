import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import type { ContainerEngine } from '../src/engines/engine.js';
import { exec } from '../src/util/exec.js';

/** The machine a run was measured on, and how busy it was (the engine may be shared). */
export interface Machine {
  readonly date: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly docker: { readonly server: string; readonly client: string; readonly buildx: string };
  /** 1-minute load average when the bench started. */
  readonly loadAtStart: number;
  /** Containers of others running on the same engine when the bench started. */
  readonly otherContainersAtStart: number;
}

export async function describeMachine(engine: ContainerEngine): Promise<Machine> {
  const info = await engine.probe();
  const running = await exec('docker', ['ps', '--quiet'], { allowFailure: true });
  return {
    date: new Date().toISOString(),
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${type()} ${release()}`,
    node: process.version,
    docker: {
      server: info.serverVersion ?? 'unknown',
      client: info.clientVersion ?? 'unknown',
      buildx: info.builder.version ?? 'unknown',
    },
    loadAtStart: loadavg()[0] ?? 0,
    otherContainersAtStart: running.stdout.split('\n').filter(Boolean).length,
  };
}

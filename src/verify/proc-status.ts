import type { ContainerEngine } from '../engines/engine.js';
import { pythonIn } from './python.js';

/** What the kernel says about the container's main process (PID 1 in its namespace). */
export interface ProcStatus {
  readonly uid: number;
  readonly gid: number;
  /** Effective capabilities, hex as in /proc (all zeros once every capability is dropped). */
  readonly capEff: string | undefined;
  readonly noNewPrivs: boolean | undefined;
  /** The Uid/Gid/CapEff/NoNewPrivs lines, for evidence. */
  readonly lines: readonly string[];
}

const SCRIPT = "print(open('/proc/1/status').read())";

/** Reads /proc/1/status inside a running container; undefined when it cannot be read. */
export async function readProcStatus(
  engine: ContainerEngine,
  container: string,
): Promise<{ status: ProcStatus | undefined; command: string; output: string }> {
  const run = await pythonIn(engine, container, SCRIPT, []);
  const output = `${run.stdout}${run.stderr}`;
  return { status: run.code === 0 ? parseProcStatus(run.stdout) : undefined, command: run.command, output };
}

export function parseProcStatus(text: string): ProcStatus | undefined {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const uid = field('Uid')?.split(/\s+/);
  const gid = field('Gid')?.split(/\s+/);
  // The effective id (second column) is the one that decides what the process may touch.
  if (!uid?.[1] || !gid?.[1]) return undefined;
  const noNewPrivs = field('NoNewPrivs');
  const lines = text.split('\n').filter((line) => /^(Uid|Gid|CapEff|NoNewPrivs):/.test(line));
  return {
    uid: Number(uid[1]),
    gid: Number(gid[1]),
    capEff: field('CapEff'),
    noNewPrivs: noNewPrivs === undefined ? undefined : noNewPrivs === '1',
    lines: lines.map((line) => line.replace(/\s+/g, ' ').trim()),
  };
}

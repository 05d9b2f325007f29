import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exec, KILL_GRACE_MS, killAllChildren } from '../../src/util/exec.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
const pids: number[] = [];

function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-exec-'));
  dirs.push(dir);
  return join(dir, name);
}

afterEach(() => {
  // Whatever a failing test left running must not outlive it.
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Alive and not a zombie: the container's PID 1 may never reap an orphan. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self/stat')) return true;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/** State and signal masks of a process, for the message of a failed assertion. */
function describeProcess(pid: number): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n');
    return status.filter((line) => /^(Name|State|PPid|Sig(Blk|Ign|Cgt))/.test(line)).join('; ');
  } catch {
    return `no /proc/${pid}/status`;
  }
}

/** The pids a script wrote on one line (`echo $$ $!`); the last one is the newest. */
async function pidsFrom(file: string): Promise<number[]> {
  for (let i = 0; i < 600; i++) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text.endsWith('\n')) {
      const found = text.trim().split(' ').map(Number);
      pids.push(...found);
      return found;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no pid in ${file}`);
}

/**
 * Waits until `pid` runs `program`: `sh -c '…; exec sleep 30'` writes its pid before the exec,
 * and dash catches SIGINT under -c, so a signal that lands between the two is taken by the shell
 * and lost across the exec; the test would then see a sleep that was never signalled.
 */
async function execedInto(pid: number, program: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const comm = existsSync(`/proc/${pid}/comm`) ? readFileSync(`/proc/${pid}/comm`, 'utf8').trim() : '';
    if (comm === program) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`process ${pid} never ran ${program}`);
}

describe('exec kills the whole process group', () => {
  it('on timeout, kills the grandchildren too', async () => {
    const file = tempFile('pid');
    // The grandchild's output goes elsewhere, so exec returns even if it survives.
    const script = 'sleep 30 >/dev/null 2>&1 & echo $$ $! > "$1"; wait';
    const running = exec('sh', ['-c', script, 'sh', file], { timeoutMs: 300, allowFailure: true });
    const [, grandchild = 0] = await pidsFrom(file);

    expect((await running).timedOut).toBe(true);
    expect(await goneWithin(grandchild, 2_000)).toBe(true);
  });

  it('on timeout, returns although a grandchild held the pipes open', { timeout: 5_000 }, async () => {
    const file = tempFile('pid');
    const script = 'sleep 30 & echo $$ $! > "$1"; exec sleep 30';
    const running = exec('sh', ['-c', script, 'sh', file], { timeoutMs: 300, allowFailure: true });
    const [, grandchild = 0] = await pidsFrom(file);

    expect(await running).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(await goneWithin(grandchild, 2_000)).toBe(true);
  });

  it('on abort, sends SIGTERM, then SIGKILL to a group that ignores it', { timeout: 10_000 }, async () => {
    const file = tempFile('pid');
    const controller = new AbortController();
    const script = 'trap "" TERM; sleep 30 >/dev/null 2>&1 & echo $$ $! > "$1"; wait';
    const running = exec('sh', ['-c', script, 'sh', file], { signal: controller.signal, allowFailure: true });
    const [, grandchild = 0] = await pidsFrom(file);
    const started = Date.now();
    controller.abort(new Error('stop'));

    await expect(running).rejects.toThrow('stop');
    expect(Date.now() - started).toBeGreaterThanOrEqual(KILL_GRACE_MS - 100);
    expect(await goneWithin(grandchild, 2_000)).toBe(true);
  });

  it('on abort, a child that obeys SIGTERM ends at once', { timeout: 5_000 }, async () => {
    const file = tempFile('pid');
    const controller = new AbortController();
    const running = exec('sh', ['-c', 'echo $$ > "$1"; exec sleep 30', 'sh', file], {
      signal: controller.signal,
    });
    await pidsFrom(file);
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('does not start a program when the signal is already aborted', async () => {
    const file = tempFile('ran');
    const error = await exec('sh', ['-c', 'echo 1 > "$1"', 'sh', file], {
      signal: AbortSignal.abort(new Error('too late')),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('too late');
    expect(existsSync(file)).toBe(false);
  });

  it('killAllChildren ends every running group', { timeout: 5_000 }, async () => {
    const file = tempFile('pid');
    const running = exec('sh', ['-c', 'sleep 30 & echo $$ $! > "$1"; wait', 'sh', file], {
      allowFailure: true,
    });
    const [, grandchild = 0] = await pidsFrom(file);
    killAllChildren();

    expect(await running).toMatchObject({ signal: 'SIGKILL', timedOut: false });
    expect(await goneWithin(grandchild, 2_000)).toBe(true);
  });
});

describe('exec passes our signals on to its detached children', () => {
  it('forwards SIGINT and leaves the rest to another listener', { timeout: 5_000 }, async () => {
    const heard: NodeJS.Signals[] = [];
    const listener = (signal: NodeJS.Signals) => heard.push(signal);
    process.on('SIGINT', listener);
    try {
      const file = tempFile('pid');
      const running = exec('sh', ['-c', 'echo $$ > "$1"; exec sleep 30', 'sh', file], { allowFailure: true });
      const [child = 0] = await pidsFrom(file);
      await execedInto(child, 'sleep');
      process.emit('SIGINT', 'SIGINT');
      expect(await running).toMatchObject({ signal: 'SIGINT' });
      expect(heard).toEqual(['SIGINT']);
    } finally {
      process.off('SIGINT', listener);
    }
  });

  it('alone, forwards SIGINT and then ends the process by it, as Node would', {
    timeout: 15_000,
  }, async () => {
    const file = tempFile('pid');
    const fixture = spawn(
      process.execPath,
      [join(repoRoot, 'node_modules', 'vite-node', 'vite-node.mjs'), 'test/fixtures/exec/wait-for-signal.ts'],
      {
        cwd: repoRoot,
        env: { ...process.env, EXEC_FIXTURE_PID_FILE: file },
        stdio: 'ignore',
        detached: true,
      },
    );
    if (fixture.pid !== undefined) pids.push(fixture.pid);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      fixture.on('exit', (_code, signal) => resolve(signal)),
    );
    const [child = 0] = await pidsFrom(file);
    await execedInto(child, 'sleep');
    fixture.kill('SIGINT');

    expect(await exited).toBe('SIGINT');
    const gone = await goneWithin(child, 5_000);
    expect(gone, gone ? '' : describeProcess(child)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { ExecError } from '../../src/errors.js';
import { exec } from '../../src/util/exec.js';

describe('exec', () => {
  it('names the command, its folder and its exit code when it fails', async () => {
    const error = await exec('sh', ['-c', 'echo broken >&2; exit 3'], { cwd: '/tmp' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExecError);
    expect((error as ExecError).message).toBe(
      '`sh -c "echo broken >&2; exit 3"` (in /tmp) exited with code 3:\nbroken',
    );
    expect((error as ExecError).exitCode).toBe(2);
  });

  it('says when a program is not installed', async () => {
    const error = await exec('slipway-no-such-program', []).catch((e: unknown) => e);
    expect((error as ExecError).message).toMatch(/slipway-no-such-program: command not found/);
  });

  it('passes stdin and returns stdout without a shell', async () => {
    const result = await exec('cat', [], { input: '$HOME; `x`' });
    expect(result.stdout).toBe('$HOME; `x`');
  });

  it('kills a program that outlives its timeout', async () => {
    const result = await exec('sleep', ['5'], { timeoutMs: 100, allowFailure: true });
    expect(result.timedOut).toBe(true);
  });
});

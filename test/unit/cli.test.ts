import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

describe('slipway CLI', () => {
  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('lists its commands in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/doctor/);
  });

  it('exits 2 on an unknown command, with the usage on stderr', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(result.stdout).toBe('');
  });

  it('exits 2 on an unknown engine', async () => {
    const result = await runCli(['doctor', '--engine', 'lxc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/argument 'lxc' is invalid. Allowed choices are docker, podman/);
  });
});

describe('slipway CLI with a reader that leaves early', () => {
  it('ends quietly when stdout is closed under it (`slipway … | head -1`)', async () => {
    const { spawn } = await import('node:child_process');
    const { join } = await import('node:path');
    // A long help text through a pipe whose reader takes one chunk and closes it.
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'slipway.js'), 'scan', '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js/);
    expect(code).toBe(0);
  });
});

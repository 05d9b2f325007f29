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

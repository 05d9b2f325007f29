import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const empty = () => mkdtempSync(join(tmpdir(), 'slipway-empty-'));

// Every command works on the folder it runs in; the bundled example only with --example.
describe('the folder you stand in', { timeout: 60_000 }, () => {
  it.each(['analyze', 'init', 'check', 'build', 'ship', 'verify', 'scan', 'deploy', 'undeploy'])(
    '%s in a folder with no project: exit 2, one message with the way to the example, nothing written',
    async (verb) => {
      const dir = empty();
      const result = await runCli([verb], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^slipway: no pyproject\.toml in this folder \(.+\): slipway works on the FastAPI \+ uv project in the folder you run it from$/,
      );
      expect(lines[1]).toContain(`to try the bundled example: slipway ${verb} --example`);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  it('analyze and init work on the current directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-cwd-'));
    cpSync(join(repoRoot, 'test', 'fixtures', 'projects', 'flat-module'), dir, { recursive: true });
    const analyzed = await runCli(['analyze'], { cwd: dir });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    expect(analyzed.stdout).toMatch(/^project +flat-module /m);
    const inited = await runCli(['init'], { cwd: dir });
    expect(inited.code, inited.stderr).toBe(0);
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(true);
    expect(existsSync(join(dir, 'deploy/k8s/base/deployment.yaml'))).toBe(true);
  });

  it('--example runs on the bundled reference backend from anywhere', async () => {
    const result = await runCli(['analyze', '--example'], { cwd: empty() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^app +inventory_api\.main:app/m);
  });

  it('a path and --example together is a usage error', async () => {
    const result = await runCli(['analyze', 'some/path', '--example']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give a project path or --example, not both/);
  });

  it('a path with no project says so and names the example', async () => {
    const dir = empty();
    const result = await runCli(['init', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no pyproject\.toml in .*: slipway needs a FastAPI \+ uv project/);
    expect(result.stderr).toMatch(/fix: .*slipway init --example/);
  });

  it('--help says where the project comes from', async () => {
    const result = await runCli(['ship', '--help']);
    expect(result.stdout).toMatch(/--example +run on the bundled reference backend/);
    expect(result.stdout).toMatch(/The project is the folder you run slipway in/);
  });
});

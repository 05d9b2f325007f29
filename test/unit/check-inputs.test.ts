import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

// slipway check on what is not a project: a folder of plain manifests, one manifest file, one
// Dockerfile, or - (standard input); an input with nothing to check is a usage error (exit 2).
const fixtures = join(repoRoot, 'test', 'fixtures', 'check');
const privileged = join(fixtures, 'SLW-K002', 'fail', 'deployment.yaml');
const rootDockerfile = join(fixtures, 'SLW-D002', 'fail', 'Dockerfile');

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-check-input-'));
  for (const [name, source] of Object.entries(files)) copyFileSync(source, join(dir, name));
  return dir;
}

describe('slipway check on any input', () => {
  it('lints a folder of plain manifests (no project around them)', async () => {
    const dir = folderWith({ 'deployment.yaml': privileged });
    const result = await runCli(['check', dir, '--format', 'json']);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as {
      files: string[];
      findings: { id: string; location?: { line?: number } }[];
    };
    expect(report.files).toEqual(['deployment.yaml']);
    expect(report.findings.some((f) => f.id === 'SLW-K002' && f.location?.line === 29)).toBe(true);
  });

  it('lints one manifest file, and one Dockerfile, by path', async () => {
    const manifest = await runCli(['check', privileged]);
    expect(manifest.code, manifest.stderr).toBe(1);
    expect(manifest.stdout).toMatch(/SLW-K002/);
    const dockerfile = await runCli(['check', rootDockerfile]);
    expect(dockerfile.code, dockerfile.stderr).toBe(1);
    expect(dockerfile.stdout).toMatch(/SLW-D002/);
    expect(dockerfile.stdout).not.toMatch(/SLW-K/);
  });

  it('reads - from standard input, a Dockerfile or manifests', () => {
    const run = (input: string) =>
      spawnSync(process.execPath, [join(repoRoot, 'bin', 'slipway.js'), 'check', '-', '--format', 'json'], {
        input,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
    const fromDockerfile = run(readFileSync(rootDockerfile, 'utf8'));
    expect(fromDockerfile.status, fromDockerfile.stderr).toBe(1);
    expect(JSON.parse(fromDockerfile.stdout).findings.map((f: { id: string }) => f.id)).toContain('SLW-D002');
    const fromManifest = run(readFileSync(privileged, 'utf8'));
    expect(fromManifest.status, fromManifest.stderr).toBe(1);
    expect(JSON.parse(fromManifest.stdout).files).toEqual(['<stdin>']);
  });

  it('exits 2 when there is nothing to check, naming the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-check-empty-'));
    writeFileSync(join(dir, 'notes.yaml'), '# only a comment\n');
    const folder = await runCli(['check', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/holds no Kubernetes objects and no Dockerfile: nothing to check/);
    const text = join(dir, 'README.txt');
    writeFileSync(text, 'hello\n');
    const file = await runCli(['check', text]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/README\.txt:1: expected a Kubernetes object/);
  });
});

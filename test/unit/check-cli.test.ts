import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

describe('slipway check (CLI)', () => {
  it('finds nothing in the reference backend and exits 0', async () => {
    const result = await runCli(['check', '--example']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^No findings: \d+ rules over \d+ files\.$/m);
    expect(result.stderr).toBe('');
  });

  it('reports each expected id on its line and exits 1', async () => {
    const dir = join(repoRoot, 'test', 'fixtures', 'check', 'SLW-D001', 'fail');
    const result = await runCli(['check', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ +4 +error +SLW-D001 /m);
    expect(result.stdout).toMatch(/^ +19 +error +SLW-D001 /m);
    // Without a pyproject the cross-file rules cannot run, and the report says so.
    expect(result.stderr).toMatch(/rules that compare the files with the app did not run/);
  });

  it('prints SARIF 2.1.0 with rule ids and line regions', async () => {
    const dir = join(repoRoot, 'test', 'fixtures', 'check', 'SLW-D001', 'fail');
    const result = await runCli(['check', dir, '--format', 'sarif']);
    expect(result.code).toBe(1);
    const sarif = JSON.parse(result.stdout) as {
      version: string;
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const lines = sarif.runs[0]?.results
      .filter((r) => r.ruleId === 'SLW-D001')
      .map((r) => r.locations[0]?.physicalLocation.region.startLine);
    expect(lines).toEqual([4, 19]);
  });

  it('fails only at or above --fail-on', async () => {
    // The reference backend without its HEALTHCHECK: one info-level finding (SLW-D009).
    const dir = mkdtempSync(join(tmpdir(), 'slipway-check-'));
    cpSync(join(repoRoot, 'examples', 'backend'), dir, {
      recursive: true,
      filter: (p) => !p.endsWith('.venv'),
    });
    const dockerfile = join(dir, 'Dockerfile');
    writeFileSync(
      dockerfile,
      readFileSync(dockerfile, 'utf8').replace(/^HEALTHCHECK [^\n]*\\\n[^\n]*\n/m, ''),
    );
    const text = await runCli(['check', dir, '--fail-on', 'info']);
    expect(text.stdout).toMatch(/info +SLW-D009 /);
    expect((await runCli(['check', dir, '--fail-on', 'error'])).code).toBe(0);
    expect((await runCli(['check', dir, '--fail-on', 'info'])).code).toBe(1);
  });

  it('exits 2 on a folder that does not exist', async () => {
    const result = await runCli(['check', join(repoRoot, 'no-such-folder')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not a folder/);
  });
});

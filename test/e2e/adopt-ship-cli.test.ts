import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

// A project with its own Dockerfile, named by its compose file, shipped from its own folder:
// slipway builds and verifies that Dockerfile (what is deployed is what is proven) and leaves it.
describe('slipway ship on a project with its own Dockerfile (cwd = the project)', () => {
  it('builds their docker/api.Dockerfile, verifies it on port 5001 as 2001:2001, and keeps it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-adopt-ship-'));
    cpSync(join(repoRoot, 'test', 'fixtures', 'adopt', 'compose-dockerfile'), dir, { recursive: true });
    const theirs = readFileSync(join(dir, 'docker', 'api.Dockerfile'), 'utf8');
    const result = await runCli(['ship'], { cwd: dir });
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/^✓ analyze .*; your docker\/api\.Dockerfile$/m);
    expect(output).toMatch(/^✓ init .*kept your docker\/api\.Dockerfile; wrote \.dockerignore, deploy\/k8s/m);
    expect(output).toMatch(/^✓ build .*compose-dockerfile:0\.1\.0/m);
    expect(output).toMatch(/^✓ verify\.starts /m);
    expect(output).toMatch(/^✓ verify\.non-root /m);
    expect(output).toMatch(/^✓ verify\.answers /m);
    // The development Dockerfile beside it is not what ship builds: its findings are counted
    // apart, not as the stage's own; slipway check lists them.
    expect(output).toMatch(/^. check .*; \d+ more in Dockerfiles ship does not build$/m);
    expect(output).not.toMatch(/^. check .*SLW-D020.*; \d+ more/m);
    const checked = await runCli(['check'], { cwd: dir });
    expect(checked.stdout).toMatch(/SLW-D020/);
    // Their image has no HEALTHCHECK: a true finding of verify, named with its fix.
    expect(output).toMatch(/^✗ verify\.healthcheck /m);
    expect(result.code).toBe(1);
    expect(readFileSync(join(dir, 'docker', 'api.Dockerfile'), 'utf8')).toBe(theirs);
  });
});

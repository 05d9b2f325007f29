import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

function project(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `slipway-${name}-`));
  cpSync(join(repoRoot, 'test', 'fixtures', 'adopt', name), dir, { recursive: true });
  return dir;
}

// A build that fails must say why in ship's own summary (and its JSON): the failing step, the
// engine's last lines and the fix, not only "the build failed".
describe('slipway ship when the build fails', () => {
  it("shows the failing step and the engine's reason, in the summary and in --json", async () => {
    const dir = project('failing-build');
    const theirs = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const text = await runCli(['ship'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^✗ build .*step \[build \d\/\d\] RUN echo .*checking for libfrobnicate.* failed \(Dockerfile\)$/m,
    );
    expect(text.stdout).toMatch(/^ {4}│ .*error: libfrobnicate\.so\.3 not found$/m);
    expect(text.stdout).toMatch(/^ {4}│ ERROR: .*exit code: 7$/m);
    expect(text.stdout).toMatch(
      /^ {4}fix: read the engine error above; `slipway build --progress plain` prints the whole log$/m,
    );
    expect(text.stdout).toMatch(/^not shipped: build failed$/m);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(theirs);

    const json = await runCli(['ship', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    const outcome = JSON.parse(json.stdout) as {
      ok: boolean;
      stages: {
        stage: string;
        status: string;
        error?: { message: string; detail: string[]; fix?: string };
      }[];
    };
    expect(outcome.ok).toBe(false);
    const build = outcome.stages.find((s) => s.stage === 'build');
    expect(build?.status).toBe('failed');
    expect(build?.error?.detail.join('\n')).toMatch(/error: libfrobnicate\.so\.3 not found/);
    expect(build?.error?.fix).toBeTruthy();
    expect(outcome.stages.map((s) => s.stage)).not.toContain('verify');
  });

  it('names a base image this machine cannot fetch, and how to get one', async () => {
    const dir = project('missing-base');
    const result = await runCli(['ship'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^✗ build .*the base image python:3\.9-slim-bullseye could not be fetched \(Dockerfile\)$/m,
    );
    expect(result.stdout).toMatch(/^ {4}│ ERROR: failed to solve: /m);
    // Single-stage is a true check finding of this Dockerfile; the build is what failed.
    expect(result.stdout).toMatch(/^not shipped: check, build failed$/m);
    expect(result.stdout).toMatch(/^ {4}fix: pull python:3\.9-slim-bullseye .*slipway doctor lists them/m);
  });
});

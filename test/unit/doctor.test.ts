import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../src/doctor/machine.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const fakes = join(repoRoot, 'test', 'fixtures', 'fake-engines');
// PATH holds only the fake engine folder (or nothing): the real docker on this machine stays out.
const envWith = (path: string) => ({
  ...process.env,
  PATH: path,
  HOME: mkdtempSync(join(tmpdir(), 'slipway-home-')),
  KUBECONFIG: '',
});

describe('slipway doctor', () => {
  it('says in one line that no engine is installed, with the fix, and exits 2', async () => {
    const result = await runCli(['doctor'], { env: envWith(mkdtempSync(join(tmpdir(), 'empty-path-'))) });
    expect(result.code).toBe(2);
    const engineLines = result.stdout.split('\n').filter((line) => /^\S+ +container engine/.test(line));
    expect(engineLines).toHaveLength(1);
    expect(engineLines[0]).toMatch(
      /^missing .*neither docker nor podman is on PATH — fix: bash .*scripts\/testbed\/up\.sh/,
    );
    expect(result.stdout).toMatch(/skipped image python:3\.13-slim/);
  });

  it('names an unreachable daemon and exits 2', async () => {
    const result = await runCli(['doctor'], { env: envWith(join(fakes, 'unreachable')) });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/docker found, daemon not reachable: Cannot connect to the Docker daemon/);
  });

  it('exits 0 and names the stand-in images when the required parts are there', async () => {
    const result = await runCli(['doctor'], { env: envWith(join(fakes, 'standin')) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ok +container engine +docker 20\.10\.24\+dfsg1 \(client 28\.2\.2, buildx 0\.13\.1\)/m,
    );
    expect(result.stdout).toMatch(/^ok +image python:3\.13-slim +present, local stand-in \(fake\)/m);
    // Optional parts that are missing do not fail the run.
    expect(result.stdout).toMatch(/^missing uv on the host \(optional\) +not found — fix: pip install uv/m);
    // Which of the other Pythons projects pin are here, and how to get the rest.
    expect(result.stdout).toMatch(
      /^missing other Python images \(optional\) +here: 3\.11 \(stand-in\); not here: 3\.10, 3\.12, 3\.14 \(pulled at build time, where a registry answers\) — fix: docker pull python:3\.10-slim python:3\.12-slim python:3\.14-slim, or bash .*up\.sh for stand-ins$/m,
    );
  });

  it('prints a machine-readable report with --json', async () => {
    const result = await runCli(['doctor', '--json'], { env: envWith(join(fakes, 'unreachable')) });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(report.checks.find((check) => check.id === 'engine')).toMatchObject({
      status: 'missing',
      required: true,
    });
    expect(report.checks.map((check) => check.id)).toEqual([
      'node',
      'engine',
      'image:python:3.13-slim',
      'image:ghcr.io/astral-sh/uv:0.13.9',
      'images:python',
      'uv',
      'kubernetes',
    ]);
  });
});

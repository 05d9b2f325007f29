import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../src/engines/engine.js';
import type { VerifyReport } from '../../src/verify/runner.js';
import { RUN_LABEL } from '../../src/verify/session.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

interface TimedRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From the last byte the CLI wrote to the moment its process ended. */
  readonly lagMs: number;
}

/** Runs the built binary and notes when it last wrote and when it exited. */
function runTimed(args: readonly string[]): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'slipway.js'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let last = Date.now();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      last = Date.now();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      last = Date.now();
    });
    child.on('error', reject);
    // 'exit', not 'close': the moment the process is gone, whatever holds its pipes.
    child.on('exit', (code) => resolve({ code, stdout, stderr, lagMs: Date.now() - last }));
  });
}

describe('slipway verify IMAGE (CLI), with only the image at hand', () => {
  let engine: ContainerEngine;
  const tag = `slipway-test/verify-cli:${process.pid}`;

  beforeAll(async () => {
    engine = await realEngine();
    // A copy, so that the build reads the project but no file of the tree is touched.
    const dir = mkdtempSync(join(tmpdir(), 'slipway-verify-cli-'));
    cpSync(join(repoRoot, 'examples', 'backend'), dir, { recursive: true });
    const built = await runCli(['build', dir]);
    expect(built.code, built.stderr).toBe(0);
    await engine.tag('inventory-api:0.1.0', tag);
  });

  afterAll(async () => {
    if (engine) await engine.removeImages([tag]);
  });

  it('reads the labels slipway build wrote, passes, and exits within 2 s of its last output', async () => {
    const labels = (await engine.inspectImage(tag))?.labels ?? {};
    expect(labels['io.slipway.verify.port']).toBe('8000');
    expect(JSON.parse(labels['io.slipway.verify.settings'] ?? '[]')).toEqual([
      expect.objectContaining({ importPath: 'inventory_api.settings:Settings' }),
    ]);
    // Names only: no label carries a setting's value or default.
    expect(JSON.stringify(labels)).not.toMatch(/"default"|"value"/);

    const run = await runTimed(['verify', tag, '--json']);
    const report = JSON.parse(run.stdout) as VerifyReport;
    const lines = report.results.map((r) => `${r.status} ${r.id}: ${r.message}`);
    process.stderr.write(
      `\nverify ${tag} (exit ${run.code}, ${run.lagMs} ms after the last output)\n  ${lines.join('\n  ')}\n`,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(lines.filter((line) => line.startsWith('fail'))).toEqual([]);
    const starts = report.results.find((r) => r.id === 'verify.starts');
    expect(starts?.evidence?.join('\n')).toMatch(
      /liveness: GET \/healthz → 200 \(target from image labels\)/,
    );
    // The required API key came from the settings label: without it the app would not start.
    expect(report.results.find((r) => r.id === 'verify.env-secrets')?.message).toMatch(/\(1 from a Secret\)/);
    // No OSV data was given: the scan says it could not judge vulnerabilities.
    expect(report.results.find((r) => r.id === 'verify.scan')?.status).toBe('skip');
    expect(run.lagMs).toBeLessThan(2_000);
    expect(await engine.containersWithLabel(`${RUN_LABEL}=${report.runId}`)).toEqual([]);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OWNER_LABEL } from '../../src/engines/engine.js';
import { runCli } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

// The main job through the built binary, as a user runs it: this is also where a CLI process
// that exits in the middle of a wait (an event loop with nothing ref'd) would show up.
describe('slipway ship and verify (CLI) on the reference backend', () => {
  it('ships: every stage passes and no container is left behind', async () => {
    const engine = await realEngine();
    const before = new Set(await engine.containersWithLabel(`${OWNER_LABEL}=slipway`));
    // With OSV data the scan check runs for real; without any it would be a skip, not a pass.
    const result = await runCli(['ship', 'examples/backend', '--osv', 'test/fixtures/scan/osv']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const stage of ['analyze', 'init', 'check', 'build', 'verify']) {
      expect(result.stdout).toMatch(new RegExp(`^✓ ${stage} `, 'm'));
    }
    expect(result.stdout).toMatch(/^shipped inventory-api:0\.1\.0 in [\d.]+s: every stage passed$/m);
    expect(result.stdout).toMatch(/^12 passed, 0 failed, 0 skipped/m);
    expect(result.stdout).toMatch(/^✓ verify\.scan /m);
    const after = (await engine.containersWithLabel(`${OWNER_LABEL}=slipway`)).filter(
      (id) => !before.has(id),
    );
    expect(after).toEqual([]);
  });

  it('verifies a built image against its project and writes JUnit', async () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'slipway-junit-')), 'verify.xml');
    const result = await runCli([
      'verify',
      'inventory-api:0.1.0',
      '--project',
      'examples/backend',
      '--junit',
      junit,
      '--osv',
      'test/fixtures/scan/osv',
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^✓ verify\.graceful-shutdown /m);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite [^>]*tests="12"[^>]*failures="0"/);
  });

  it('exits 2 with the fix when the image does not exist', async () => {
    const result = await runCli(['verify', 'slipway-no-such-image:0', '--project', 'examples/backend']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/image slipway-no-such-image:0 is not present/);
  });
});

import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/commands/check.js';
import { init } from '../../src/commands/init.js';
import { repoRoot } from '../helpers/cli.js';

// What `slipway init` writes for every fixture project passes `slipway check` with zero findings,
// info level included: the generator and the rules agree on real projects of every shape.
const projects = join(repoRoot, 'test', 'fixtures', 'projects');
const fixtures = readdirSync(projects, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'bad')
  .map((entry) => entry.name);

describe.each(fixtures)('init then check: %s', (fixture) => {
  it('has zero findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-check-fixture-'));
    cpSync(join(projects, fixture), dir, { recursive: true });
    const project = fixture === 'workspace-member' ? join(dir, 'services', 'api') : dir;
    await init({ path: project });
    const outcome = await check({ path: project, failOn: 'info' });
    expect(outcome.analyzeError).toBeUndefined();
    expect(outcome.report.findings.filter((f) => f.status === 'fail' && !f.suppressed)).toEqual([]);
    expect(outcome.failed).toBe(false);
  });
});

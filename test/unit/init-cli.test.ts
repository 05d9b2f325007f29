import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const projects = join(repoRoot, 'test', 'fixtures', 'projects');

function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-init-'));
  cpSync(join(projects, name), dir, { recursive: true });
  return dir;
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => relative(dir, join(dir, path)))
    .sort();
}

const badInputs = readdirSync(join(projects, 'bad'));

describe('init on bad input', () => {
  it.each(badInputs)('%s: one message with the fix, exit 2, nothing written', async (name) => {
    const dir = copyFixture(join('bad', name));
    const before = listing(dir);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
      error: string;
      fix: string;
    };
    const result = await runCli(['init', dir]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    // One message (its first line names slipway, detail lines may follow), then one fix line.
    expect(lines.filter((line) => line.startsWith('slipway: '))).toHaveLength(1);
    expect(lines[0]).toMatch(/^slipway: /);
    expect(result.stderr.toLowerCase()).toContain(expected.error.toLowerCase());
    const fixes = lines.filter((line) => line.startsWith('  fix: '));
    expect(fixes).toHaveLength(1);
    expect(fixes[0]?.toLowerCase()).toContain(expected.fix.toLowerCase());
    expect(listing(dir)).toEqual(before);
  });
});

describe('init writing', () => {
  it('is idempotent, refuses hand edits without --force, and shows them with --diff', async () => {
    const dir = copyFixture('src-layout');
    const first = await runCli(['init', dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^create +Dockerfile$/m);
    const second = await runCli(['init', dir]);
    expect(second.stdout).toMatch(/no change: the generated files are current/);

    const dockerfile = join(dir, 'Dockerfile');
    const edited = `${readFileSync(dockerfile, 'utf8')}# a hand edit\n`;
    writeFileSync(dockerfile, edited);
    const service = join(dir, 'deploy/k8s/base/service.yaml');
    writeFileSync(service, readFileSync(service, 'utf8').replace('port: 80', 'port: 81'));
    const refused = await runCli(['init', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Dockerfile/);
    expect(readFileSync(dockerfile, 'utf8')).toBe(edited);

    const diff = await runCli(['init', dir, '--diff']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^-# a hand edit$/m);
    expect(readFileSync(dockerfile, 'utf8')).toBe(edited);

    const dry = await runCli(['init', dir, '--dry-run']);
    expect(dry.stdout).toMatch(/^CONFLICT +Dockerfile/m);
    expect(dry.stdout).toMatch(/dry run: nothing written/);

    const forced = await runCli(['init', dir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(dockerfile, 'utf8')).not.toContain('# a hand edit');
    expect((await runCli(['init', dir])).stdout).toMatch(/no change/);
  });

  it('leaves no temporary files behind', async () => {
    const dir = copyFixture('flat-module');
    await runCli(['init', dir]);
    expect(listing(dir).filter((path) => /\.tmp|~$/.test(path))).toEqual([]);
    expect(existsSync(join(dir, 'deploy/k8s/overlays/production/kustomization.yaml'))).toBe(true);
  });
});

describe('analyze', () => {
  it('prints the ProjectModel as JSON', async () => {
    const result = await runCli(['analyze', join(projects, 'app-factory'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const model = JSON.parse(result.stdout) as { app: { attribute: string; factory: boolean } };
    expect(model.app).toMatchObject({ attribute: 'create_app', factory: true });
  });

  it('runs on the bundled reference backend with --example', async () => {
    const result = await runCli(['analyze', '--example']);
    expect(result.stdout).toMatch(/^app +inventory_api\.main:app/m);
  });
});

import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { exampleValues, parseEnvFile } from '../../src/adopt/env-example.js';
import { analyzeProject } from '../../src/analyze/index.js';
import { check } from '../../src/commands/check.js';
import { init } from '../../src/commands/init.js';
import { generateFiles } from '../../src/generate/index.js';
import { toYaml } from '../../src/generate/k8s/objects.js';
import { pythonEnvValue } from '../../src/generate/k8s/python-literal.js';
import { repoRoot } from '../helpers/cli.js';

const fixture = join(repoRoot, 'test', 'fixtures', 'adopt', 'env-example');

describe('a Python default as the string pydantic-settings reads back', () => {
  it.each([
    ['2_000', '2000'],
    ['-1_000_000', '-1000000'],
    ['1.50', '1.50'],
    ['1e3', '1e3'],
    ['0x10', '16'],
    ['True', 'true'],
    ['False', 'false'],
    ['"info"', 'info'],
    ["'it''s'", 'its'],
    ['"a\\tb"', 'a\tb'],
    ['r"C:\\temp"', 'C:\\temp'],
    ['"""multi"""', 'multi'],
    ['["a", \'b\']', '["a","b"]'],
    ['("x", 1, True, None)', '["x",1,true,null]'],
    ['{"orders": 10, "nested": {"k": [1, 2]}}', '{"orders":10,"nested":{"k":[1,2]}}'],
    ['{1, 2}', '[1,2]'],
    ['[]', '[]'],
    ['Path("/data")', 'Path("/data")'],
  ])('%s → %s', (literal, value) => {
    expect(pythonEnvValue(literal)).toBe(value);
  });

  it('None has no environment form', () => {
    expect(pythonEnvValue('None')).toBeUndefined();
  });
});

describe('ConfigMap values stay strings for every YAML reader', () => {
  it('quotes what YAML 1.1 (the Kubernetes API machinery) would read as a number or a boolean', () => {
    const values = { A: 'yes', B: 'on', C: '2_000', D: '1:20', E: 'plain text', F: '0o17', G: '2000' };
    const text = toYaml({ data: values }, undefined, { stringMap: ['data'] });
    expect(parse(text, { version: '1.1' }).data).toEqual(values);
    expect(parse(text).data).toEqual(values);
    // Plain text needs no quotes and gets none.
    expect(text).toMatch(/^ {2}E: plain text$/m);
  });
});

describe('required settings in the ConfigMap', { timeout: 60_000 }, () => {
  it('take the example value (never .env), or stay empty with a comment, and pass check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-env-example-'));
    cpSync(fixture, dir, { recursive: true });
    const model = await analyzeProject(dir);
    const configmap = generateFiles(model)['deploy/k8s/base/configmap.yaml'] ?? '';
    const data = parse(configmap).data as Record<string, string>;
    expect(data).toMatchObject({
      SHOP_PROJECT_NAME: 'Corner Shop',
      SHOP_FIRST_SUPERUSER: 'admin@example.com',
      SHOP_SUPPORT_EMAIL: '',
      SHOP_MAX_UPLOAD_KB: '2000',
      SHOP_DEBUG: 'false',
    });
    // Secrets never reach the ConfigMap, whatever an example file says.
    expect(Object.keys(data)).not.toContain('SHOP_DATABASE_URL');
    expect(Object.keys(data)).not.toContain('SHOP_API_TOKEN');
    expect(configmap).not.toContain('real-person@corp.internal');
    const doc = parseDocument(configmap);
    const comments = (
      doc.get('data') as { items: { key: { commentBefore?: string; value: string } }[] }
    ).items
      .filter((item) => item.key.commentBefore)
      .map((item) => [item.key.value, item.key.commentBefore?.trim()]);
    expect(comments).toEqual([
      ['SHOP_FIRST_SUPERUSER', expect.stringMatching(/example value from \.env\.example:3/)],
      ['SHOP_PROJECT_NAME', expect.stringMatching(/example value from \.env\.example:2/)],
      ['SHOP_SUPPORT_EMAIL', expect.stringMatching(/MUST be set before deploying/)],
    ]);

    await init({ path: dir });
    const outcome = await check({ path: dir, failOn: 'error' });
    expect(outcome.report.findings.filter((f) => f.status === 'fail' && f.severity === 'error')).toEqual([]);
  });
});

describe('example env files', () => {
  it('reads dotenv lines: export, quotes, trailing comments', () => {
    const text = '# c\nexport A=1\nB="two words"\nC=three # why\nD=\'x # y\'\nnot a line\n';
    expect(parseEnvFile(text).map((e) => [e.name, e.value, e.line])).toEqual([
      ['A', '1', 2],
      ['B', 'two words', 3],
      ['C', 'three', 4],
      ['D', 'x # y', 5],
    ]);
  });

  it('the project files win over compose; empty examples say nothing; .env is never read', () => {
    const values = exampleValues([fixture], fixture, {
      SHOP_SUPPORT_EMAIL: 'help@example.com',
      SHOP_PROJECT_NAME: 'x',
    });
    expect(values.SHOP_PROJECT_NAME).toEqual({ value: 'Corner Shop', from: '.env.example:2' });
    expect(values.SHOP_SUPPORT_EMAIL).toEqual({
      value: 'help@example.com',
      from: 'the compose service environment',
    });
    expect(values.SHOP_API_TOKEN).toBeUndefined();
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/check/registry.js';
import { repoRoot } from '../../helpers/cli.js';
import { fixturesRoot } from './helpers.js';

const ID = /^SLW-(D|K|P)\d{3}$/;

describe('the rule registry', () => {
  it('gives every rule a unique id in its family, a title, a severity and a fix hint', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(ID);
      const family = { D: 'dockerfile', K: 'manifest', P: 'project' }[rule.id.charAt(4)];
      expect(rule.scope, rule.id).toBe(family);
      expect(rule.title.length, rule.id).toBeGreaterThan(5);
      expect(rule.hint.length, rule.id).toBeGreaterThan(10);
    }
  });

  it('has a failing fixture, a passing fixture and a docs page for every rule', () => {
    const missing: string[] = [];
    for (const rule of RULES) {
      const dir = join(fixturesRoot, rule.id);
      if (!existsSync(join(dir, 'fail', 'expect.json'))) missing.push(`${rule.id}: fail/ with expect.json`);
      if (!existsSync(join(dir, 'pass')) || readdirSync(join(dir, 'pass')).length === 0)
        missing.push(`${rule.id}: pass/`);
      const docs = join(repoRoot, rule.docs);
      if (!existsSync(docs)) missing.push(`${rule.id}: ${rule.docs}`);
      else expect(readFileSync(docs, 'utf8'), rule.docs).toContain(`# ${rule.id}`);
    }
    expect(missing).toEqual([]);
  });

  it('has no fixture folder for a rule that is not registered', () => {
    const known = new Set(RULES.map((rule) => rule.id));
    const strays = readdirSync(fixturesRoot).filter((name) => ID.test(name) && !known.has(name));
    expect(strays).toEqual([]);
  });
});

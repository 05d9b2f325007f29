import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allUnits } from '../../src/registry.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');

describe('the one registry of rules and checks', () => {
  const units = allUnits();

  it('lists the units of every stage', () => {
    const stages = new Set(units.map((unit) => unit.stage));
    expect([...stages].sort()).toEqual(['check', 'scan', 'verify']);
    expect(units.filter((u) => u.stage === 'check').length).toBeGreaterThanOrEqual(40);
    expect(units.filter((u) => u.stage === 'verify').map((u) => u.id)).toContain('verify.scan');
  });

  it('gives every unit a unique id, a title, a hint and a severity', () => {
    const ids = units.map((unit) => unit.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    const incomplete = units.filter((unit) => !unit.title || !unit.hint || !unit.severity).map((u) => u.id);
    expect(incomplete).toEqual([]);
  });

  it('points every unit at a docs page that exists and names it', () => {
    const missing = units.flatMap((unit) => {
      const [file = '', anchor] = unit.docs.split('#');
      const path = join(repoRoot, file);
      if (!existsSync(path)) return [`${unit.id}: ${file} does not exist`];
      const text = readFileSync(path, 'utf8');
      if (anchor ? !text.includes(`id="${anchor}"`) : !text.includes(unit.id))
        return [`${unit.id}: ${unit.docs} does not describe it`];
      return [];
    });
    expect(missing).toEqual([]);
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/check/registry.js';
import { checkFiles } from '../../../src/check/runner.js';
import { expectedFindings, fixturesRoot, loadFixture } from './helpers.js';

/**
 * Every rule against its two fixtures (hadolint's ruleCatches / ruleCatchesNot): the failing one
 * must give exactly the expected findings of that rule, on the expected lines; the passing one
 * none of that rule.
 */
describe.each(RULES.map((rule) => [rule.id, rule] as const))('%s', (id) => {
  const dir = join(fixturesRoot, id);

  it.runIf(existsSync(join(dir, 'fail')))('reports the failing fixture on the expected lines', () => {
    const report = checkFiles(loadFixture(join(dir, 'fail')));
    const found = report.findings
      .filter((finding) => finding.id === id)
      .map((finding) => ({ file: finding.location?.file, line: finding.location?.line }));
    const byPosition = (a: { file?: string; line?: number }, b: { file?: string; line?: number }) =>
      `${a.file}:${String(a.line).padStart(5)}`.localeCompare(`${b.file}:${String(b.line).padStart(5)}`);
    expect(found.sort(byPosition)).toEqual(expectedFindings(join(dir, 'fail')).sort(byPosition));
  });

  it.runIf(existsSync(join(dir, 'pass')))('is silent on the passing fixture', () => {
    const report = checkFiles(loadFixture(join(dir, 'pass')));
    expect(report.findings.filter((finding) => finding.id === id)).toEqual([]);
  });
});

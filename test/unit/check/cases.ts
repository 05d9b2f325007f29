import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../../src/check/runner.js';

/**
 * hadolint's ruleCatches / ruleCatchesNot, table-driven: each catch is a Dockerfile and the lines
 * the rule must report in it (exactly those), each catchNot a Dockerfile it must be silent on.
 * Lines are 1-based; the text is used as written (no indentation is stripped).
 */
export interface RuleCases {
  readonly catches: readonly (readonly [name: string, dockerfile: string, lines: readonly number[]])[];
  readonly catchesNot: readonly (readonly [name: string, dockerfile: string])[];
}

export function linesOf(id: string, dockerfile: string): number[] {
  const report = checkFiles({ dockerfiles: [{ path: 'Dockerfile', text: dockerfile }], manifests: [] });
  return report.findings
    .filter((finding) => finding.id === id)
    .map((finding) => finding.location?.line ?? 0)
    .sort((a, b) => a - b);
}

export function ruleCases(id: string, cases: RuleCases): void {
  describe(id, () => {
    it('has at least five catches and five catchesNot', () => {
      expect(cases.catches.length).toBeGreaterThanOrEqual(5);
      expect(cases.catchesNot.length).toBeGreaterThanOrEqual(5);
    });
    it.each(cases.catches)('catches: %s', (_, dockerfile, lines) => {
      expect(linesOf(id, dockerfile)).toEqual([...lines]);
    });
    it.each(cases.catchesNot)('catches not: %s', (_, dockerfile) => {
      expect(linesOf(id, dockerfile)).toEqual([]);
    });
  });
}

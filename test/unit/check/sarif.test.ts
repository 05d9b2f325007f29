import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ruleDescriptors } from '../../../src/check/registry.js';
import { checkFiles } from '../../../src/check/runner.js';
import { toSarif } from '../../../src/report/sarif.js';
import { fixturesRoot, loadFixture } from './helpers.js';

const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as FormatsPlugin;

// The official schema, from a registry package (see test/fixtures/check/sarif/README.md).
const schema = JSON.parse(
  readFileSync(join(fixturesRoot, 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

interface SarifRun {
  tool: { driver: { rules: { id: string; helpUri?: string; defaultConfiguration: { level: string } }[] } };
  results: {
    ruleId: string;
    level: string;
    locations: { physicalLocation: unknown }[];
    suppressions?: unknown[];
  }[];
}

function sarifFor(fixture: string, ignore: { id: string; reason: string }[] = []) {
  const report = checkFiles({ ...loadFixture(join(fixturesRoot, fixture)), ignore });
  return {
    report,
    sarif: toSarif(report.findings, ruleDescriptors(), {
      toolVersion: '0.1.0',
      docsBaseUrl: 'https://example.invalid/slipway/',
    }),
  };
}

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema, with findings and suppressions', () => {
    const { sarif } = sarifFor('SLW-K021/fail', [{ id: 'SLW-K017', reason: 'kept for the test' }]);
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('lists every rule with its level and points results at relative files and lines', () => {
    const { sarif, report } = sarifFor('SLW-D003/fail', [
      { id: 'SLW-P005', reason: 'the fixture has no .dockerignore' },
    ]);
    const run = (sarif.runs as SarifRun[])[0] as SarifRun;
    expect(run.tool.driver.rules).toHaveLength(ruleDescriptors().length);
    const d009 = run.tool.driver.rules.find((r) => r.id === 'SLW-D009');
    expect(d009?.defaultConfiguration.level).toBe('note');
    expect(d009?.helpUri).toBe('https://example.invalid/slipway/docs/rules/SLW-D009.md');
    const d003 = run.results.find((r) => r.ruleId === 'SLW-D003');
    expect(d003?.level).toBe('warning');
    expect(d003?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'Dockerfile' },
      region: { startLine: 31 },
    });
    const p005 = run.results.find((r) => r.ruleId === 'SLW-P005');
    expect(p005?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'the fixture has no .dockerignore' },
    ]);
    expect(run.results).toHaveLength(report.findings.length);
    expect(validate(sarif)).toBe(true);
  });

  it('is valid with no findings at all', () => {
    expect(validate(toSarif([], ruleDescriptors(), { toolVersion: '0.1.0' }))).toBe(true);
  });
});

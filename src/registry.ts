/**
 * Every rule and check of every stage, in one list: check's rules, verify's checks, the scan's
 * hardening and secret rules. Each is a Unit (src/result.ts); this is where they are all known,
 * for the docs, SARIF's rule table and the tests that hold each one to a failing case. Secret
 * content rules are data (gitleaks' rule set): each is listed by the kind it reports.
 */
import { RULES } from './check/registry.js';
import type { Unit } from './result.js';
import { HARDENING_RULES } from './scan/hardening.js';
import { contentKinds } from './scan/secrets/content.js';
import { FILE_RULES, SECRETS_DOCS } from './scan/secrets/rules.js';
import { BUILTIN_CHECKS } from './verify/checks/index.js';
import { scanCheck } from './verify/checks/scan.js';

export type Stage = 'check' | 'verify' | 'scan';

/** What is known of a unit without running it. */
export interface UnitDescriptor {
  readonly stage: Stage;
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly hint: string;
  readonly docs: string;
}

function describe(stage: Stage, units: readonly Unit<never, unknown, string>[]): UnitDescriptor[] {
  return units.map(({ id, title, severity, hint, docs }) => ({ stage, id, title, severity, hint, docs }));
}

export function allUnits(): UnitDescriptor[] {
  return [
    ...describe('check', RULES),
    ...describe('verify', [...BUILTIN_CHECKS, scanCheck()]),
    ...describe('scan', HARDENING_RULES),
    // Secret rules report as scan.secret.<id>: the file rules, then one kind per content rule
    // (gitleaks' rule set as data, and slipway's own).
    ...describe('scan', FILE_RULES).map((unit) => ({ ...unit, id: `scan.secret.${unit.id}` })),
    ...contentKinds().map(({ id, title, severity, hint }) => ({
      stage: 'scan' as const,
      id: `scan.secret.${id}`,
      title,
      severity,
      hint,
      docs: SECRETS_DOCS,
    })),
  ];
}

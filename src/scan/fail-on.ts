/**
 * The `--fail-on` option, on its own so that the CLI can check it (exit 2 on a bad value) before
 * it loads the scanner.
 */
import { UsageError } from '../errors.js';
import type { ScanSeverity } from './vulns/severity.js';

/** The lowest severity that fails a scan; `unknown` fails on every finding, rated or not. */
export type FailOn = ScanSeverity;

const SEVERITIES: readonly FailOn[] = ['unknown', 'low', 'medium', 'high', 'critical'];

export function parseFailOn(value: string): FailOn {
  const lower = value.toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(lower)) return lower as FailOn;
  throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, not ${value}`);
}

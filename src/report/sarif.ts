import type { Result, Severity } from '../result.js';

/** A rule as SARIF's tool.driver.rules lists it. */
export interface SarifRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly hint: string;
  /** Docs page relative to the package root, e.g. docs/rules/SLW-D001.md. */
  readonly docs: string;
}

export interface SarifOptions {
  readonly toolVersion: string;
  /**
   * Absolute URL the docs paths are resolved against for helpUri (SARIF requires absolute URIs);
   * without it the help text carries the docs path instead.
   */
  readonly docsBaseUrl?: string;
  readonly informationUri?: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** `SLW-D001` -> `BaseImageTagPinned`: SARIF's rule name is an identifier-like label. */
function ruleName(title: string): string {
  return title
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one run, every rule in tool.driver.rules with its
 * default level, results pointing at files relative to the repository root, and suppressed
 * findings carried with a `suppressions` entry (GitHub shows them as dismissed, never as alerts).
 */
export function toSarif(
  findings: readonly Result[],
  rules: readonly SarifRule[],
  options: SarifOptions,
): Record<string, unknown> {
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const helpUri = (docs: string) =>
    options.docsBaseUrl ? new URL(docs, options.docsBaseUrl).href : undefined;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'slipway',
            version: options.toolVersion,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map((rule) => ({
              id: rule.id,
              name: ruleName(rule.title),
              shortDescription: { text: rule.title },
              fullDescription: { text: `${rule.title}. Fix: ${rule.hint}` },
              ...(helpUri(rule.docs) ? { helpUri: helpUri(rule.docs) } : {}),
              help: {
                text: `${rule.hint}\nSee ${rule.docs}.`,
                markdown: `${rule.hint}\n\nSee [${rule.id}](${helpUri(rule.docs) ?? rule.docs}).`,
              },
              defaultConfiguration: { level: LEVEL[rule.severity] },
              properties: {
                tags: [
                  rule.id.startsWith('SLW-D')
                    ? 'dockerfile'
                    : rule.id.startsWith('SLW-K')
                      ? 'kubernetes'
                      : 'project',
                ],
              },
            })),
          },
        },
        columnKind: 'unicodeCodePoints',
        results: findings.map((finding) => result(finding, index.get(finding.id))),
      },
    ],
  };
}

function result(finding: Result, ruleIndex: number | undefined): Record<string, unknown> {
  const location = finding.location;
  const text = finding.hint ? `${finding.message}. Fix: ${finding.hint}` : finding.message;
  return {
    ruleId: finding.id,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[finding.severity],
    message: { text },
    ...(location
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(location.file) },
                ...(location.line === undefined
                  ? {}
                  : {
                      region: {
                        startLine: location.line,
                        ...(location.column === undefined ? {} : { startColumn: location.column }),
                      },
                    }),
              },
            },
          ],
        }
      : {}),
    ...(finding.suppressed
      ? {
          suppressions: [
            {
              kind: finding.suppressed.by === 'inline' ? 'inSource' : 'external',
              status: 'accepted',
              justification: finding.suppressed.reason,
            },
          ],
        }
      : {}),
  };
}

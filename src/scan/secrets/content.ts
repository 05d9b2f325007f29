/**
 * The content rules: gitleaks' default rule set, taken as data (src/secrets/gitleaks-rules.json),
 * plus the few of slipway's own that it lacks, run by one engine compiled once per process.
 *
 * Finding ids are slipway's: where the old hand-written rules had an id (github-token, …), the
 * gitleaks rules for the same tokens report under it, so an ignore-file entry keeps working;
 * every other rule reports under its gitleaks id. The evidence names the gitleaks rule.
 */
import { type EngineRule, SecretEngine } from '../../secrets/engine.js';
import { GITLEAKS } from '../../secrets/gitleaks.js';
import type { AllowlistData, PatternData, RuleData } from '../../secrets/rule-data.js';
import { HINT_BUILD, type SecretKind, SITE_PACKAGES_TESTS } from './rules.js';

const LEGACY: readonly (SecretKind & { readonly from: readonly string[] })[] = [
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'critical',
    from: ['private-key'],
    skip: [SITE_PACKAGES_TESTS],
    hint: `remove the key from the image and rotate it; ${HINT_BUILD}`,
  },
  {
    id: 'aws-access-key',
    title: 'AWS access key id',
    severity: 'critical',
    from: ['aws-access-token'],
    hint: `deactivate the key in IAM; use a role or ${HINT_BUILD}`,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'critical',
    from: [
      'github-pat',
      'github-oauth',
      'github-app-token',
      'github-refresh-token',
      'github-fine-grained-pat',
    ],
    hint: `revoke the token on GitHub; ${HINT_BUILD}`,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab token',
    severity: 'critical',
    from: [
      'gitlab-pat',
      'gitlab-pat-routable',
      'gitlab-runner-authentication-token',
      'gitlab-runner-authentication-token-routable',
      'gitlab-deploy-token',
    ],
    hint: `revoke the token on GitLab; ${HINT_BUILD}`,
  },
  {
    id: 'pypi-token',
    title: 'PyPI upload token',
    severity: 'critical',
    from: ['pypi-upload-token', 'slipway-testpypi-upload-token'],
    hint: `revoke the token on pypi.org; ${HINT_BUILD}`,
  },
  {
    id: 'npm-token',
    title: 'npm token',
    severity: 'critical',
    from: ['npm-access-token'],
    hint: `revoke the token on npmjs.com; ${HINT_BUILD}`,
  },
  {
    id: 'slack-token',
    title: 'Slack token or webhook',
    severity: 'high',
    from: GITLEAKS.rules.map((r) => r.id).filter((id) => id.startsWith('slack-')),
    hint: `revoke the token in Slack; ${HINT_BUILD}`,
  },
];

// slipway's own patterns are written in the common subset of RE2 and JavaScript.
const pattern = (source: string): PatternData => ({ re2: source, source, flags: '' });

const allowlist = (
  description: string,
  target: AllowlistData['regexTarget'],
  regexes: string[],
  paths: string[] = [],
): AllowlistData => ({
  description,
  condition: 'OR',
  regexTarget: target,
  regexes: regexes.map(pattern),
  paths: paths.map(pattern),
  stopwords: [],
});

/** slipway's content rules for what gitleaks' defaults leave out, run by the same engine. */
export const OWN_RULES: readonly EngineRule[] = [
  {
    // gitleaks knows pypi.org's tokens only; TestPyPI's macaroons name test.pypi.org instead.
    id: 'slipway-testpypi-upload-token',
    description: 'TestPyPI upload token',
    regex: pattern('pypi-AgENdGVzdC5weXBpLm9yZw[\\w-]{50,1000}'),
    entropy: 3,
    keywords: ['pypi-agendgvzdc5wexbplm9yzw'],
    allowlists: [],
    anyPath: true,
  },
  {
    // A connection URL with its password (postgres://app:…@db/app) in any text file; gitleaks
    // has no such rule, and .env is not the only place settings are written down. Library
    // docstrings are full of `scott:tiger@localhost`: dependency trees are skipped, as they are
    // for gitleaks' assignment-shaped rules.
    id: 'slipway-url-password',
    description: 'Password in a URL',
    regex: pattern('[A-Za-z0-9+.-]://[^/:@\\s\'"`]{1,64}:([^/@\\s\'"`]{3,128})@[A-Za-z0-9_.-]+'),
    keywords: ['://'],
    allowlists: [
      allowlist('the words documentation uses for a password, and template references', 'secret', [
        '^(?:[Pp]ass(?:w(?:or)?d)?|PASS(?:W(?:OR)?D)?|[Ss]ecret|SECRET|pwd|changeme|change-me|example|test|anonymous|xxx+|\\*+|\\.{3})$',
        '^(?:\\$\\{?\\w+\\}?|%\\(\\w+\\)s|\\{\\{.*\\}\\}|\\{\\w*\\}|<[^>]*>|\\[[^\\]]*\\])$',
      ]),
      allowlist('hosts reserved for documentation (RFC 2606)', 'match', [
        '@(?:[A-Za-z0-9-]+\\.)*example(?:\\.(?:com|org|net))?$',
      ]),
    ],
  },
];

/**
 * gitleaks' private-key rule takes anything between a BEGIN line and the next `KEY-----`, so
 * code and prose that name both markers (rsa/pem.py's docstring) match. A key's body is PEM:
 * base64 and header fields (`Proc-Type: 4,ENCRYPTED`, `Version: GnuPG v2 (GNU/Linux)`), with
 * `\n` escapes when it sits in a JSON string (a service account file). Documentation keys say
 * EXAMPLE in their body, as AWS's do.
 */
const PEM_BODY = [
  allowlist('code or prose between two PEM markers: a body that is not PEM', 'secret', [
    '^-----BEGIN[ A-Za-z0-9_-]*-----[A-Za-z0-9+/=\\s:,.()\\\\-]*[^A-Za-z0-9+/=\\s:,.()\\\\-]',
  ]),
  { ...allowlist('documentation example keys', 'secret', []), stopwords: ['example'] },
];

/** gitleaks skips its own config; slipway's copy of the rules (in an image that has slipway) too. */
const SELF = allowlist("slipway's copy of the rule set", 'secret', [], ['(?:^|/)gitleaks-rules\\.json$']);

const byGitleaksId = new Map(LEGACY.flatMap((kind) => kind.from.map((id) => [id, kind] as const)));

const ACRONYMS: Record<string, string> = Object.fromEntries(
  ['api', 'aws', 'gcp', 'jwt', 'pat', 'url', 'id', 'ad', 'ca', 'tf', 'yaml', 'ptt', 'rrt', 'scim', 'ai'].map(
    (w) => [w, w.toUpperCase()],
  ),
);

/** `stripe-access-token` → "Stripe access token": the gitleaks id, read as words. */
function titleOf(id: string): string {
  const words = id
    .replace(/^slipway-/, '')
    .split('-')
    .map((w) => ACRONYMS[w] ?? w);
  const first = words[0] ?? id;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...words.slice(1)].join(' ');
}

/** How a finding of the content rule `ruleId` (gitleaks' or slipway's own) is reported. */
export function kindOf(ruleId: string): SecretKind {
  const legacy = byGitleaksId.get(ruleId);
  if (legacy) return legacy;
  return {
    id: ruleId.replace(/^slipway-/, ''),
    title: titleOf(ruleId),
    // A generic rule matches a shape (`api_key = "…"`), not an issuer's token format.
    severity: ruleId.startsWith('generic') ? 'medium' : 'high',
    hint: `revoke or rotate it where it was issued; ${HINT_BUILD}`,
  };
}

/**
 * Rules that need a name next to the value (`[\w.-]{0,50}?(?:adafruit)…=…`, generic-api-key)
 * match assignments, which third-party code is full of; gitleaks skips dependency trees for
 * them, and so does slipway. Rules for a token's own format (ghp_…, AKIA…, a PEM key) read every
 * text file, as slipway's rules always have: its images install the app itself into
 * site-packages as a wheel, where the global path allowlist would hide the app's own tokens.
 */
export function readsEveryPath(rule: RuleData): boolean {
  return !rule.id.startsWith('generic') && rule.regex !== undefined && !rule.regex.source.startsWith(CONTEXT);
}

const CONTEXT = '[\\w.\\-]{0,50}?';

/** What slipway adds to gitleaks' global allowlist, for the assignment-shaped rules only. */
export const OWN_ALLOWLIST = allowlist(
  'installed packages and their documentation (published with the package)',
  'secret',
  [],
  // gitleaks' own list has lib/python3.x/ but not Debian's /usr/lib/python3/dist-packages.
  ['(?:^|/)(?:site|dist)-packages/', '^usr/share/(?:doc|man|info)/'],
);

/** The rules the engine runs: gitleaks' with slipway's scope and allowlists, then slipway's own. */
export function contentRules(): EngineRule[] {
  return [
    ...GITLEAKS.rules.map((r) => ({
      ...r,
      allowlists: [...r.allowlists, ...(r.id === 'private-key' ? PEM_BODY : []), SELF],
      ...(readsEveryPath(r) ? { anyPath: true } : {}),
    })),
    ...OWN_RULES.map((r) => ({ ...r, allowlists: [...r.allowlists, SELF] })),
  ];
}

let engine: SecretEngine | undefined;

/** The content rules, compiled once per process (on first use: a scan without layers pays nothing). */
export function contentEngine(): SecretEngine {
  engine ??= new SecretEngine(contentRules(), [...GITLEAKS.allowlists, OWN_ALLOWLIST]);
  return engine;
}

export const CONTENT_SOURCE = `gitleaks ${GITLEAKS.source.version}`;

/** Every kind a content finding can have, one per rule (the legacy ids once): for the registry. */
export function contentKinds(): SecretKind[] {
  const kinds = new Map<string, SecretKind>();
  for (const rule of [...GITLEAKS.rules, ...OWN_RULES]) {
    const kind = kindOf(rule.id);
    if (!kinds.has(kind.id)) kinds.set(kind.id, kind);
  }
  return [...kinds.values()];
}

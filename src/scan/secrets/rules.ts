/**
 * What counts as a secret in an image. Content rules look for token formats that are
 * distinctive enough to mean what they say (a prefix plus a fixed-length body); file rules look
 * at files whose whole purpose is credentials. Each `skip` says why a match is not a secret;
 * there are no other exceptions.
 */
import { hasUrlCredentials, isPlaceholder, isSecretName } from '../../secrets/names.js';
import type { ScanSeverity } from '../vulns/severity.js';

export interface Skip {
  readonly path?: RegExp;
  readonly value?: RegExp;
  readonly why: string;
}

export interface SecretRule {
  readonly id: string;
  readonly title: string;
  readonly severity: ScanSeverity;
  /** Files this rule reads; content rules read every text file. */
  readonly path?: RegExp;
  /** Cheap byte test before the regex: none of these strings, no match possible. */
  readonly hints?: readonly string[];
  /** Returns each secret value found in the text (file rules may return '' for "the file itself"). */
  find(text: string): string[];
  readonly skip?: readonly Skip[];
  readonly hint: string;
}

function all(pattern: RegExp): (text: string) => string[] {
  return (text) => [...text.matchAll(pattern)].map((m) => m[1] ?? m[0]);
}

// Packages ship their test suites' throwaway keys (tornado/test/test.key, twisted/test/server.pem):
// published with the package's source, they protect nothing.
const SITE_PACKAGES_TESTS: Skip = {
  path: /(?:site|dist)-packages\/.+\/tests?\/[^/]+\.(?:key|pem)$/,
  why: 'test fixture key shipped in a package test suite (public in its source)',
};

const PRIVATE_KEY =
  /-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----\s*[A-Za-z0-9+/=\s:,-]{64,}?-----END/g;

const HINT_BUILD =
  'pass it as a BuildKit secret mount (RUN --mount=type=secret) so it never lands in a layer';

export const CONTENT_RULES: readonly SecretRule[] = [
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'critical',
    hints: ['PRIVATE KEY-----'],
    // A header alone is code that names the format (ssl.py, cryptography); a key has a body.
    // The whole block is the secret (its type alone would be redacted into nothing useful).
    find: (text) => [...text.matchAll(PRIVATE_KEY)].map((m) => m[0]),
    skip: [SITE_PACKAGES_TESTS],
    hint: `remove the key from the image and rotate it; ${HINT_BUILD}`,
  },
  {
    id: 'aws-access-key',
    title: 'AWS access key id',
    severity: 'critical',
    hints: ['AKIA', 'ASIA'],
    find: all(/\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g),
    skip: [{ value: /^AKIAIOSFODNN7EXAMPLE$/, why: "the AWS documentation's example key (botocore docs)" }],
    hint: `deactivate the key in IAM; use a role or ${HINT_BUILD}`,
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'critical',
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    find: all(/\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b/g),
    hint: `revoke the token on GitHub; ${HINT_BUILD}`,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab token',
    severity: 'critical',
    hints: ['glpat-', 'glrt-', 'gldt-'],
    find: all(/\b((?:glpat|glrt|gldt)-[A-Za-z0-9_-]{20,})/g),
    hint: `revoke the token on GitLab; ${HINT_BUILD}`,
  },
  {
    id: 'pypi-token',
    title: 'PyPI upload token',
    severity: 'critical',
    hints: ['pypi-AgE'],
    // Every PyPI token is a macaroon whose base64 starts with the location "pypi.org" (or test.pypi.org).
    find: all(/\b(pypi-AgE[A-Za-z0-9_-]{60,})/g),
    hint: `revoke the token on pypi.org; ${HINT_BUILD}`,
  },
  {
    id: 'npm-token',
    title: 'npm token',
    severity: 'critical',
    hints: ['npm_'],
    find: all(/\b(npm_[A-Za-z0-9]{36})\b/g),
    hint: `revoke the token on npmjs.com; ${HINT_BUILD}`,
  },
  {
    id: 'slack-token',
    title: 'Slack token or webhook',
    severity: 'high',
    hints: ['xox', 'hooks.slack.com'],
    find: all(
      /\b(xox[baprs]-[A-Za-z0-9-]{10,}|https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)/g,
    ),
    hint: `revoke the token in Slack; ${HINT_BUILD}`,
  },
];

const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/, '$2');
}

/** Values of a `.env` file's secret-looking assignments (`DEBUG=false` is configuration, not a secret). */
function envValues(text: string): string[] {
  return text
    .split('\n')
    .map((line) => assignment.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[2]?.startsWith('#'))
    .map((m) => ({ name: m[1] ?? '', value: unquote(m[2] ?? '') }))
    .filter(
      (pair) => (isSecretName(pair.name) && !isPlaceholder(pair.value)) || hasUrlCredentials(pair.value),
    )
    .map((pair) => pair.value);
}

function dockerAuths(text: string): string[] {
  try {
    const config = JSON.parse(text) as { auths?: Record<string, { auth?: string; identitytoken?: string }> };
    return Object.values(config.auths ?? {})
      .flatMap((entry) => [entry.auth, entry.identitytoken])
      .filter((value): value is string => typeof value === 'string' && value !== '');
  } catch {
    return [];
  }
}

export const FILE_RULES: readonly SecretRule[] = [
  {
    id: 'dotenv',
    title: '.env file with secrets',
    severity: 'high',
    // .env.example and friends document the names; they are meant to be committed and shipped.
    path: /(?:^|\/)\.env(?:\.(?!example$|sample$|template$|dist$)[\w.-]+)?$/,
    find: envValues,
    hint: 'add .env* to .dockerignore (keep .env.example) and pass settings at run time (Kubernetes Secret)',
  },
  {
    id: 'docker-config',
    title: 'Docker registry credentials',
    severity: 'critical',
    path: /(?:^|\/)\.docker\/config\.json$/,
    find: dockerAuths,
    hint: 'remove the file and log out; use a credential helper or a BuildKit secret mount',
  },
  {
    id: 'npmrc-token',
    title: 'npm credentials in .npmrc',
    severity: 'critical',
    path: /(?:^|\/)\.npmrc$/,
    // `_authToken=${NPM_TOKEN}` is a reference read at run time, not a secret.
    find: (text) => all(/(?:_authToken|_auth|_password)\s*=\s*(\S+)/g)(text).filter((v) => !isPlaceholder(v)),
    hint: `remove the file; ${HINT_BUILD}`,
  },
  {
    id: 'pip-credentials',
    title: 'Package index password in pip/pypirc/netrc',
    severity: 'critical',
    path: /(?:^|\/)(?:pip\.conf|pip\.ini|\.pypirc|\.netrc|_netrc)$/,
    find: (text) =>
      [
        ...all(/^\s*password\s*[=:]\s*(\S+)/gm)(text),
        ...all(/\bpassword\s+([^\s=:]\S*)/g)(text),
        ...all(/(?:index-url|extra-index-url)\s*=\s*\S+?:\/\/[^:/\s@]+:([^@/\s]+)@/g)(text),
      ].filter((v) => !isPlaceholder(v)),
    hint: `remove the file; give uv or pip the index credentials through ${HINT_BUILD}`,
  },
  {
    id: 'git-folder',
    title: '.git folder',
    severity: 'medium',
    // HEAD is in every repository, once: one finding per folder.
    path: /(?:^|\/)\.git\/HEAD$/,
    // The folder itself is the finding: history, remotes and sometimes tokens in remote URLs.
    find: () => [''],
    hint: 'add .git to .dockerignore; copy only what the app needs',
  },
];

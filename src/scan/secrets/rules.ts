/**
 * What counts as a secret in an image, and how each kind is reported. File rules look at files
 * whose whole purpose is credentials; content rules (gitleaks' rule set, in content.ts) read
 * every text file. Each `skip` says why a match is not a secret; the rest of the exceptions are
 * gitleaks' allowlists.
 */

import type { Unit } from '../../result.js';
import { hasUrlCredentials, isPlaceholder, isSecretName } from '../../secrets/names.js';
import type { ScanSeverity } from '../vulns/severity.js';

export interface Skip {
  readonly path?: RegExp;
  readonly value?: RegExp;
  readonly why: string;
}

/** How a kind of secret is reported. */
export interface SecretKind {
  readonly id: string;
  readonly title: string;
  readonly severity: ScanSeverity;
  readonly skip?: readonly Skip[];
  readonly hint: string;
}

/** A rule for files whose whole purpose is credentials: `run` returns each secret value in the
 * file's text ('' for "the file itself"). */
export interface FileRule extends SecretKind, Unit<string, string[], ScanSeverity> {
  /** The files this rule reads. */
  readonly path: RegExp;
}

/** Where every secret rule is described. */
export const SECRETS_DOCS = 'docs/scan.md#secrets';

function all(pattern: RegExp): (text: string) => string[] {
  return (text) => [...text.matchAll(pattern)].map((m) => m[1] ?? m[0]);
}

// Packages ship their test suites' throwaway keys (tornado/test/test.key, twisted/test/server.pem):
// published with the package's source, they protect nothing.
export const SITE_PACKAGES_TESTS: Skip = {
  path: /(?:site|dist)-packages\/.+\/tests?\/[^/]+\.(?:key|pem)$/,
  why: 'test fixture key shipped in a package test suite (public in its source)',
};

export const HINT_BUILD =
  'pass it as a BuildKit secret mount (RUN --mount=type=secret) so it never lands in a layer';

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

export const FILE_RULES: readonly FileRule[] = [
  {
    id: 'dotenv',
    docs: SECRETS_DOCS,
    title: '.env file with secrets',
    severity: 'high',
    // .env.example and friends document the names; they are meant to be committed and shipped.
    path: /(?:^|\/)\.env(?:\.(?!example$|sample$|template$|dist$)[\w.-]+)?$/,
    run: envValues,
    hint: 'add .env* to .dockerignore (keep .env.example) and pass settings at run time (Kubernetes Secret)',
  },
  {
    id: 'docker-config',
    docs: SECRETS_DOCS,
    title: 'Docker registry credentials',
    severity: 'critical',
    path: /(?:^|\/)\.docker\/config\.json$/,
    run: dockerAuths,
    hint: 'remove the file and log out; use a credential helper or a BuildKit secret mount',
  },
  {
    id: 'npmrc-token',
    docs: SECRETS_DOCS,
    title: 'npm credentials in .npmrc',
    severity: 'critical',
    path: /(?:^|\/)\.npmrc$/,
    // `_authToken=${NPM_TOKEN}` is a reference read at run time, not a secret.
    run: (text) => all(/(?:_authToken|_auth|_password)\s*=\s*(\S+)/g)(text).filter((v) => !isPlaceholder(v)),
    hint: `remove the file; ${HINT_BUILD}`,
  },
  {
    id: 'pip-credentials',
    docs: SECRETS_DOCS,
    title: 'Package index password in pip/pypirc/netrc',
    severity: 'critical',
    path: /(?:^|\/)(?:pip\.conf|pip\.ini|\.pypirc|\.netrc|_netrc)$/,
    run: (text) =>
      [
        ...all(/^\s*password\s*[=:]\s*(\S+)/gm)(text),
        ...all(/\bpassword\s+([^\s=:]\S*)/g)(text),
        ...all(/(?:index-url|extra-index-url)\s*=\s*\S+?:\/\/[^:/\s@]+:([^@/\s]+)@/g)(text),
      ].filter((v) => !isPlaceholder(v)),
    hint: `remove the file; give uv or pip the index credentials through ${HINT_BUILD}`,
  },
  {
    id: 'git-folder',
    docs: SECRETS_DOCS,
    title: '.git folder',
    severity: 'medium',
    // HEAD is in every repository, once: one finding per folder.
    path: /(?:^|\/)\.git\/HEAD$/,
    // The folder itself is the finding: history, remotes and sometimes tokens in remote URLs.
    run: () => [''],
    hint: 'add .git to .dockerignore; copy only what the app needs',
  },
];

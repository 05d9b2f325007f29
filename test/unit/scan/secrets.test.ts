import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redact, secretFindings } from '../../../src/scan/secrets/index.js';
import { ALNUM, DIGITS, fake, genericValue, scanFile, UPPER_B32 } from '../secrets/fakes.js';

function scan(path: string, content: string | Buffer): string[] {
  return scanFile(path, content).hits.map((hit) => hit.rule.id);
}

const ecKey = String(
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }),
);
const rsaKey = String(
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
);
const ghp = `ghp_${fake(ALNUM, 36)}`;

// What the seven hand-written rules caught, each still caught under the same finding id (now by
// gitleaks' rules), and a look-alike that must raise no finding at all.
// [id, path, content with a secret, look-alike]
const LEGACY: [string, string, string, string][] = [
  ['private-key', 'root/.ssh/id_ecdsa', ecKey, 'PEM_HEADER = "-----BEGIN PRIVATE KEY-----"\n'],
  ['private-key', 'root/.ssh/id_rsa', rsaKey, `-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(30)}\n`],
  [
    'aws-access-key',
    'root/.aws/credentials',
    `[default]\naws_access_key_id = AKIA${fake(UPPER_B32, 16)}\n`,
    // The AWS documentation's example key (botocore docs): gitleaks allowlists `…EXAMPLE`.
    '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n',
  ],
  ['github-token', 'app/notes.txt', `token: ${ghp}`, 'see https://github.com/settings/tokens (ghp_ prefix)'],
  ['github-token', 'app/ci.env.txt', `GH=github_pat_${fake(ALNUM, 22)}_${fake(ALNUM, 59)}`, 'github_pat_'],
  ['gitlab-token', 'app/ci.txt', `glpat-${fake(ALNUM, 20)}`, 'glpat-short'],
  [
    'gitlab-token',
    'app/runner.toml',
    `token = "glrt-${fake(ALNUM, 20)}"`,
    'token = "glrt-xxxxxxxxxxxxxxxxxxxx"',
  ],
  [
    'pypi-token',
    'app/upload.sh',
    `TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmc${fake(ALNUM, 70)}`,
    'pypi-AgE is the prefix of PyPI tokens',
  ],
  [
    // gitleaks knows pypi.org's tokens only: slipway's own rule keeps TestPyPI's.
    'pypi-token',
    'app/upload-test.sh',
    `TWINE_PASSWORD=pypi-AgENdGVzdC5weXBpLm9yZw${fake(ALNUM, 70)}`,
    `TWINE_PASSWORD=pypi-AgENdGVzdC5weXBpLm9yZw${'A'.repeat(70)}`,
  ],
  ['npm-token', 'app/build.sh', `NPM_TOKEN=npm_${fake(ALNUM, 36)}`, 'npm_config_cache=/tmp'],
  [
    'slack-token',
    'app/alert.py',
    `SLACK = "xoxb-${fake(DIGITS, 12)}-${fake(DIGITS, 13)}-${fake(ALNUM, 24)}"`,
    'SLACK = "xoxb-"',
  ],
  [
    'slack-token',
    'app/hooks.py',
    `URL = "https://hooks.slack.com/services/T${fake(UPPER_B32, 8)}/B${fake(UPPER_B32, 10)}/${fake(ALNUM, 24)}"`,
    'URL = "https://hooks.slack.com/services/"',
  ],
];

// The file rules are slipway's own and unchanged.
const FILES: [string, string, string, string][] = [
  [
    'dotenv',
    'app/.env',
    `DATABASE_URL=postgres://app:${fake(ALNUM, 12)}@db/app\nDEBUG=true\n`,
    'DEBUG=true\nAPI_KEY=\n',
  ],
  [
    'docker-config',
    'root/.docker/config.json',
    `{"auths":{"ghcr.io":{"auth":"${fake(ALNUM, 24)}"}}}`,
    '{"credsStore":"desktop"}',
  ],
  [
    'npmrc-token',
    'home/app/.npmrc',
    `//registry.npmjs.org/:_authToken=${fake(ALNUM, 36)}\n`,
    // A reference to the environment, read when npm runs: not a secret.
    `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n`,
  ],
  [
    'pip-credentials',
    'etc/pip.conf',
    `[global]\nindex-url = https://ci:${fake(ALNUM, 16)}@pypi.example.com/simple\n`,
    '[global]\nindex-url = https://pypi.org/simple\n',
  ],
  [
    'pip-credentials',
    'root/.netrc',
    `machine pypi.example.com login ci password ${fake(ALNUM, 16)}\n`,
    'machine pypi.example.com login ci\n',
  ],
  [
    'pip-credentials',
    'root/.pypirc',
    `[pypi]\nusername = __token__\npassword = ${fake(ALNUM, 20)}\n`,
    '[pypi]\nusername = __token__\n',
  ],
];

describe('secret rules', () => {
  it.each([...LEGACY, ...FILES])(
    '%s finds a secret in /%s and passes a look-alike',
    (id, path, secret, lookAlike) => {
      expect(scan(path, secret)).toEqual([id]);
      expect(scan(path, lookAlike)).toEqual([]);
    },
  );

  it('reports a .git folder once, by its HEAD', () => {
    expect(scan('app/.git/HEAD', 'ref: refs/heads/main\n')).toEqual(['git-folder']);
    expect(scan('app/.git/config', '[core]\n')).toEqual([]);
  });

  it('leaves documented names alone: .env.example, .env.sample', () => {
    expect(scan('app/.env.example', 'DATABASE_PASSWORD=hunter2\n')).toEqual([]);
    expect(scan('app/.env.production', 'DATABASE_PASSWORD=hunter2\n')).toEqual(['dotenv']);
  });

  it('reports a token in a credentials file once, under the file rule', () => {
    expect(scan('root/.npmrc', `//registry.npmjs.org/:_authToken=npm_${fake(ALNUM, 36)}\n`)).toEqual([
      'npmrc-token',
    ]);
    // The .env rule reports the whole URL; the URL-password rule's find is part of it.
    expect(scan('app/.env', `DATABASE_URL=postgres://app:${fake(ALNUM, 20)}@db/app\n`)).toEqual(['dotenv']);
  });

  it('skips test keys shipped in site-packages test suites, and only there', () => {
    const site = 'app/.venv/lib/python3.13/site-packages/tornado/test/test.key';
    expect(scan(site, ecKey)).toEqual([]);
    expect(scan('app/.venv/lib/python3.13/site-packages/tornado/server.key', ecKey)).toEqual(['private-key']);
  });

  it('reads token formats in installed packages (the app is installed as a wheel), not assignments', () => {
    const module = 'app/.venv/lib/python3.13/site-packages/myapp/settings.py';
    const assignment = `api_key = "${genericValue()}"\n`;
    expect(scan(module, `GITHUB = "${ghp}"\n`)).toEqual(['github-token']);
    // An assignment-shaped rule (generic-api-key) follows gitleaks' global path allowlist there.
    expect(scan('app/myapp/settings.py', assignment)).toEqual(['generic-api-key']);
    expect(scan(module, assignment)).toEqual([]);
    expect(scan('usr/lib/python3/dist-packages/x/conf.py', assignment)).toEqual([]);
  });

  it('skips binary files', () => {
    expect(scan('app/lib.so', `\u0000${ghp}`)).toEqual([]);
  });

  it('redacts to a short prefix, the length and a hash prefix', () => {
    const shown = redact(ghp);
    expect(shown).toMatch(/^ghp_… \(40 chars, sha256:[0-9a-f]{12}\)$/);
    expect(shown).not.toContain(ghp.slice(4, 12));
    expect(redact('hunter2')).toMatch(/^h… \(7 chars/);
  });

  it('says where and by which rule, and never shows the secret', () => {
    const stripe = `sk_live_${fake(ALNUM, 24)}`;
    const { hits } = scanFile('app/billing.py', `import os\n\nKEY = "${stripe}"\nOTHER = "${ghp}"\n`, 2);
    const fs = { files: new Map(), hidden: [], layerCount: 3 };
    const findings = secretFindings(hits, fs, (layer) => (layer === 2 ? 'COPY . /app' : undefined));
    const byId = Object.fromEntries(findings.map((f) => [f.result.id, f]));
    expect(Object.keys(byId).sort()).toEqual(['scan.secret.github-token', 'scan.secret.stripe-access-token']);
    expect(byId['scan.secret.stripe-access-token']?.result.evidence).toEqual([
      'severity: high',
      'path: /app/billing.py',
      'layer: 2 (COPY . /app)',
      `secret: ${redact(stripe)}`,
      'lines: 3',
      'rule: gitleaks v8.30.1 stripe-access-token',
    ]);
    expect(byId['scan.secret.github-token']?.result.evidence).toContain('rule: gitleaks v8.30.1 github-pat');
    const text = JSON.stringify(findings);
    for (const secret of [stripe, ghp, stripe.slice(8), ghp.slice(4)]) expect(text).not.toContain(secret);
  });
});

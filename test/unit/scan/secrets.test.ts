import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImageFile } from '../../../src/scan/layers.js';
import { redact, SecretScanner } from '../../../src/scan/secrets/index.js';

function scan(path: string, content: string): string[] {
  const scanner = new SecretScanner();
  const file: ImageFile = {
    path,
    type: 'file',
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: content.length,
    linkname: '',
    layer: 0,
  };
  scanner.onFile(file, Buffer.from(content));
  return scanner.hits.map((hit) => hit.rule.id);
}

// Token-shaped values are assembled here so that no credential-looking string is committed.
const body = (n: number) => 'Ab3dE5gH7j'.repeat(Math.ceil(n / 10)).slice(0, n);
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
  type: 'sec1',
  format: 'pem',
});

// [rule, path, content that must be found, look-alike that must not]
const CASES: [string, string, string, string][] = [
  ['private-key', 'root/.ssh/id_ecdsa', String(key), 'PEM_HEADER = "-----BEGIN PRIVATE KEY-----"\n'],
  [
    'aws-access-key',
    'root/.aws/credentials',
    `aws_access_key_id = AKIA${'Q7'.repeat(8)}`,
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  ],
  [
    'github-token',
    'app/notes.txt',
    `token: ghp_${body(36)}`,
    'see https://github.com/settings/tokens (ghp_ prefix)',
  ],
  ['gitlab-token', 'app/ci.txt', `glpat-${body(20)}`, 'glpat-short'],
  [
    'pypi-token',
    'app/upload.sh',
    `TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmc${body(70)}`,
    'pypi-AgE is the prefix of PyPI tokens',
  ],
  ['npm-token', 'app/build.sh', `NPM_TOKEN=npm_${body(36)}`, 'npm_config_cache=/tmp'],
  ['slack-token', 'app/alert.py', `SLACK = "xoxb-${body(24)}"`, 'xoxb-'],
  [
    'dotenv',
    'app/.env',
    `DATABASE_URL=postgres://app:${body(12)}@db/app\nDEBUG=true\n`,
    'DEBUG=true\nAPI_KEY=\n',
  ],
  [
    'docker-config',
    'root/.docker/config.json',
    `{"auths":{"ghcr.io":{"auth":"${body(24)}"}}}`,
    '{"credsStore":"desktop"}',
  ],
  [
    'npmrc-token',
    'home/app/.npmrc',
    `//registry.npmjs.org/:_authToken=${body(36)}\n`,
    // A reference to the environment, read when npm runs: not a secret.
    `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n`,
  ],
  [
    'pip-credentials',
    'etc/pip.conf',
    `[global]\nindex-url = https://ci:${body(16)}@pypi.example.com/simple\n`,
    '[global]\nindex-url = https://pypi.org/simple\n',
  ],
  [
    'pip-credentials',
    'root/.netrc',
    `machine pypi.example.com login ci password ${body(16)}\n`,
    'machine pypi.example.com login ci\n',
  ],
  [
    'pip-credentials',
    'root/.pypirc',
    `[pypi]\nusername = __token__\npassword = ${body(20)}\n`,
    '[pypi]\nusername = __token__\n',
  ],
];

describe('secret rules', () => {
  it.each(CASES)('%s finds a secret in /%s and passes a look-alike', (rule, path, secret, lookAlike) => {
    expect(scan(path, secret)).toContain(rule);
    expect(scan(path, lookAlike)).not.toContain(rule);
  });

  it('reports a .git folder once, by its HEAD', () => {
    expect(scan('app/.git/HEAD', 'ref: refs/heads/main\n')).toEqual(['git-folder']);
    expect(scan('app/.git/config', '[core]\n')).toEqual([]);
  });

  it('leaves documented names alone: .env.example, .env.sample', () => {
    expect(scan('app/.env.example', 'DATABASE_PASSWORD=hunter2\n')).toEqual([]);
    expect(scan('app/.env.production', 'DATABASE_PASSWORD=hunter2\n')).toEqual(['dotenv']);
  });

  it('skips test keys shipped in site-packages test suites, and only there', () => {
    const site = 'app/.venv/lib/python3.13/site-packages/tornado/test/test.key';
    expect(scan(site, String(key))).toEqual([]);
    expect(scan('app/.venv/lib/python3.13/site-packages/tornado/server.key', String(key))).toEqual([
      'private-key',
    ]);
  });

  it('skips binary files', () => {
    expect(scan('app/lib.so', `\u0000ghp_${body(36)}`)).toEqual([]);
  });

  it('redacts to a short prefix, the length and a hash prefix', () => {
    const secret = `ghp_${body(36)}`;
    const shown = redact(secret);
    expect(shown).toMatch(/^ghp_… \(40 chars, sha256:[0-9a-f]{12}\)$/);
    expect(shown).not.toContain(body(8));
    expect(redact('hunter2')).toMatch(/^h… \(7 chars/);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GITLEAKS } from '../../../src/secrets/gitleaks.js';
import {
  ALNUM,
  base64url,
  DIGITS,
  fake,
  genericValue,
  HEX,
  LETTERS,
  scanFile,
  UPPER_B32,
} from '../secrets/fakes.js';

/** `kind[gitleaks rule]` for each hit: the finding id and the rule of the data set that fired. */
function scan(path: string, content: string | Buffer): string[] {
  return scanFile(path, content).hits.flatMap((hit) => hit.detectors.map((d) => `${hit.rule.id}[${d}]`));
}

const gcpAllowlisted =
  GITLEAKS.rules.find((r) => r.id === 'gcp-api-key')?.allowlists[0]?.regexes[1]?.re2 ?? '';
const jwtHeader = base64url('{"alg":"HS256","typ":"JWT"}');
const jwtBody = base64url(JSON.stringify({ sub: fake(DIGITS, 10), name: 'Jane Doe', iat: 1516239022 }));
const serviceAccount = JSON.stringify({
  type: 'service_account',
  private_key: String(
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
  ),
});

// [gitleaks rule, finding id, path, content with a fake secret, look-alikes that must raise nothing]
const CASES: [string, string, string, string, string[]][] = [
  [
    'stripe-access-token',
    'stripe-access-token',
    'app/billing.py',
    `STRIPE_KEY = "sk_live_${fake(ALNUM, 24)}"`,
    [`STRIPE_KEY = "sk_live_${'0'.repeat(24)}"`, `STRIPE_KEY = "\${STRIPE_KEY}"`],
  ],
  [
    'slack-user-token',
    'slack-token',
    'app/notify.py',
    `TOKEN = "xoxp-${fake(DIGITS, 11)}-${fake(DIGITS, 11)}-${fake(DIGITS, 12)}-${fake(HEX, 32)}"`,
    [`TOKEN = "xoxp-${'1'.repeat(11)}-${'1'.repeat(11)}-${'1'.repeat(12)}-${'1'.repeat(32)}"`],
  ],
  [
    'github-fine-grained-pat',
    'github-token',
    'app/deploy.sh',
    `export GH_TOKEN=github_pat_${fake(ALNUM, 22)}_${fake(ALNUM, 59)}`,
    [`export GH_TOKEN=github_pat_${'A'.repeat(82)}`],
  ],
  [
    'gitlab-deploy-token',
    'gitlab-token',
    'app/pull.sh',
    `git clone https://deploy:gldt-${fake(ALNUM, 20)}@gitlab.example.com/app.git`,
    ['git clone https://deploy:gldt-aaaaaaaaaaaaaaaaaaaa@gitlab.example.com/app.git'],
  ],
  [
    'aws-access-token',
    'aws-access-key',
    'app/aws.ini',
    `key_id = ASIA${fake(UPPER_B32, 16)}`,
    // gitleaks' allowlist for the documentation convention: ids that end in EXAMPLE.
    [`key_id = AKIA${fake(UPPER_B32, 9)}EXAMPLE`],
  ],
  [
    'gcp-api-key',
    'gcp-api-key',
    'app/static/maps.js',
    `const key = "AIza${fake(`${ALNUM}-_`, 35)}";`,
    // A key gitleaks lists as public (its regexes allowlist), read from the data itself.
    [`const PUBLIC = ["${gcpAllowlisted}"];`],
  ],
  [
    'openai-api-key',
    'openai-api-key',
    'app/llm.py',
    `OPENAI_API_KEY = "sk-proj-${fake(ALNUM, 74)}T3BlbkFJ${fake(ALNUM, 74)}"`,
    [`OPENAI_API_KEY = "sk-${'a'.repeat(20)}T3BlbkFJ${'a'.repeat(20)}"`],
  ],
  [
    'jwt',
    'jwt',
    'app/tests_data.py',
    `TOKEN = "${jwtHeader}.${jwtBody}.${fake(`${ALNUM}_-`, 43)}"`,
    [`TOKEN = "ey${'A'.repeat(20)}.ey${'A'.repeat(20)}.${'A'.repeat(12)}"`],
  ],
  [
    'generic-api-key',
    'generic-api-key',
    'app/settings.py',
    `api_key = "${genericValue()}"`,
    [
      'api_key = "your_api_key_here"', // rule allowlist: letters and _.- only
      'api_key = "abababababababab"', // entropy 1 bit, under the rule's 3.5
      `secret = "example-${fake(ALNUM, 24)}"`, // a gitleaks stopword in the secret
      `public_key = "${genericValue()}"`, // allowlisted by the match: pub(?:lic)?[_.-]?key
      `RUN --mount=type=secret,id=api,token=${genericValue()} make`, // allowlisted by the line
      `api_key = "\${API_KEY}"`, // a reference, not a value
    ],
  ],
  [
    'azure-ad-client-secret',
    'azure-ad-client-secret',
    'app/azure.cfg',
    `client_secret=${fake(ALNUM, 3)}8Q~${fake(`${ALNUM}_~.-`, 34)}`,
    [`client_secret=aaa8Q~${'a'.repeat(34)}`],
  ],
  [
    'huggingface-access-token',
    'huggingface-access-token',
    'app/model.py',
    // The rule is `hf_(?i:[a-z]{34})`: upper-case letters must match through the translation.
    `HF_TOKEN = "hf_${fake(LETTERS, 34).toUpperCase()}"`,
    ['HF_TOKEN = "hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"'],
  ],
  [
    'sendgrid-api-token',
    'sendgrid-api-token',
    'app/mail.py',
    `SENDGRID = "SG.${fake(ALNUM, 22)}.${fake(ALNUM, 43)}"`,
    [`SENDGRID = "SG.${'a'.repeat(66)}"`],
  ],
  [
    'anthropic-api-key',
    'anthropic-api-key',
    'app/claude.py',
    `KEY = "sk-ant-api03-${fake(`${ALNUM}_-`, 93)}AA"`,
    [`KEY = "sk-ant-api03-${fake(`${ALNUM}_-`, 20)}AA"`],
  ],
  [
    'digitalocean-pat',
    'digitalocean-pat',
    'app/infra.sh',
    `DO_TOKEN=dop_v1_${fake(HEX, 64)}`,
    [`DO_TOKEN=dop_v1_${'0'.repeat(64)}`],
  ],
  [
    'curl-auth-header',
    'curl-auth-header',
    'app/healthcheck.sh',
    `curl -s -H "Authorization: Bearer ${fake(ALNUM, 40)}" https://api.internal/health`,
    ['curl -s -H "Authorization: Bearer $TOKEN" https://api.internal/health'],
  ],
  [
    'kubernetes-secret-yaml',
    'kubernetes-secret-yaml',
    'app/deploy/secret.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${Buffer.from(fake(ALNUM, 20)).toString('base64')}\n`,
    ['apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {{ .Values.password }}\n'],
  ],
  [
    // A service account file: the key sits in a JSON string, its newlines written as \n.
    'private-key',
    'private-key',
    'app/gcp-sa.json',
    serviceAccount,
    [
      // Code that names both markers (rsa/pem.py's docstring) is no key.
      `"""Reads '-----BEGIN RSA PRIVATE KEY-----' up to\n the marker, ${'-'.repeat(5)}END RSA PRIVATE KEY-----"""\n`,
      `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAEXAMPLE${fake(ALNUM, 64)}\n-----END RSA PRIVATE KEY-----\n`,
    ],
  ],
  [
    'slipway-url-password',
    'url-password',
    'app/db.py',
    `DATABASE_URL = "postgresql://app:${fake(ALNUM, 20)}@db.internal:5432/app"`,
    [
      'DATABASE_URL = "postgresql://user:password@localhost/app"',
      "engine = create_engine('https://abc:xyz@example.com')",
      `DATABASE_URL = "postgresql://app:\${DB_PASSWORD}@db/app"`,
    ],
  ],
];

describe('gitleaks rules, through the layer walker', () => {
  it.each(CASES)(
    '%s reports as %s in /%s; its look-alikes raise nothing',
    (rule, id, path, secret, lookAlikes) => {
      expect(scan(path, secret)).toEqual([`${id}[${rule}]`]);
      for (const lookAlike of lookAlikes) expect(scan(path, lookAlike), lookAlike).toEqual([]);
    },
  );

  it('keeps path rules to their paths: a Secret manifest is YAML, a .p12 is the finding', () => {
    const manifest = CASES.find(([rule]) => rule === 'kubernetes-secret-yaml')?.[3] ?? '';
    expect(scan('app/deploy/secret.txt', manifest)).not.toContain(
      'kubernetes-secret-yaml[kubernetes-secret-yaml]',
    );
    // Binary, so no content rule reads it; its name is enough.
    expect(scan('app/certs/client.p12', Buffer.from([0x30, 0x82, 0x00, 0x01, 0x02]))).toEqual([
      'pkcs12-file[pkcs12-file]',
    ]);
    expect(scan('app/certs/client.p12.md', 'how to make a .p12')).toEqual([]);
  });

  it('skips gitleaks global allowlisted paths for assignment-shaped rules: lockfiles, node_modules', () => {
    const line = `api_key = "${genericValue()}"\n`;
    expect(scan('app/src/config.js', line)).toEqual(['generic-api-key[generic-api-key]']);
    expect(scan('app/node_modules/lib/config.js', line)).toEqual([]);
    expect(scan('app/package-lock.json', line)).toEqual([]);
  });

  it('lets a specific rule take a generic finding on the same line (gitleaks filter)', () => {
    expect(scan('app/settings.py', `stripe_secret_key = "sk_live_${fake(ALNUM, 24)}"\n`)).toEqual([
      'stripe-access-token[stripe-access-token]',
    ]);
  });

  it('gives each secret its line', () => {
    const text = `# config\n\nA = "sk_live_${fake(ALNUM, 24)}"\nB = 1\nC = "sk_test_${fake(ALNUM, 24)}"\n`;
    expect(scanFile('app/c.py', text).hits.map((h) => h.lines)).toEqual([[3, 5]]);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadPrecompiled, validateObject, validateWith } from '../../../src/kube/schema.js';
import { repoRoot } from '../../helpers/cli.js';

// `npm run build` precompiles the schema into ajv standalone validators; the sources compile it at
// first use. Both must give the same verdicts, problem for problem, on good and bad manifests.
// Inside the repository: the generated code requires ajv's runtime and ajv-formats, which resolve
// from node_modules as they do beside dist/.
const out = mkdtempSync(join(repoRoot, 'node_modules', '.slipway-validators-'));
const file = join(out, 'validators.cjs');
execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build', 'validators.mjs'), file], {
  stdio: 'pipe',
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function manifests(): { name: string; value: Record<string, unknown> }[] {
  const root = join(repoRoot, 'test', 'fixtures', 'check');
  const found: { name: string; value: Record<string, unknown> }[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    for (const [i, document] of parseAllDocuments(readFileSync(path, 'utf8')).entries()) {
      const value = document.toJS() as unknown;
      if (value && typeof value === 'object' && 'kind' in value && 'apiVersion' in value) {
        found.push({ name: `${path.slice(root.length + 1)}#${i}`, value: value as Record<string, unknown> });
      }
    }
  }
  return found;
}

const broken = parse(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: x, labelz: {} }
spec:
  replicas: "two"
  selector: { matchLabels: { app: x } }
  template:
    metadata: { labels: { app: x } }
    spec:
      containers:
        - name: x
          image: x:1
          ports: [{ containerPort: 70000000000 }]
          resources: { limits: { memory: true } }
`) as Record<string, unknown>;

describe('the precompiled Kubernetes validators', () => {
  const precompiled = loadPrecompiled(file);

  it('load from the build output, and are absent where there is none', () => {
    expect(precompiled).not.toBeNull();
    expect(loadPrecompiled(join(out, 'none.cjs'))).toBeNull();
  });

  it('give the same problems as the schema compiled at run time, on every fixture manifest', () => {
    const all = [...manifests(), { name: 'broken', value: broken }];
    expect(all.length).toBeGreaterThan(20);
    let withProblems = 0;
    for (const { name, value } of all) {
      const apiVersion = String(value.apiVersion);
      const kind = String(value.kind);
      const runtime = validateObject(apiVersion, kind, value);
      const pre = validateWith(precompiled ?? {}, apiVersion, kind, value) ?? [];
      expect(pre, name).toEqual(runtime);
      if (runtime.length > 0) withProblems++;
    }
    // The comparison saw failing manifests too, not only clean ones.
    expect(withProblems).toBeGreaterThan(0);
    expect(validateWith(precompiled ?? {}, 'apps/v1', 'Deployment', broken)?.map((p) => p.message)).toEqual(
      expect.arrayContaining(['unknown field "labelz"', 'must be integer']),
    );
  });
});

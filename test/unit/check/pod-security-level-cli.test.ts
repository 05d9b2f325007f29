import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../helpers/cli.js';

/**
 * `slipway check --pod-security-level`, and the enforce label of a Namespace among the manifests,
 * through the built CLI: the level decides which Pod Security rules judge, and the output says
 * which level judged when it is not the default.
 */
const dir = mkdtempSync(join(tmpdir(), 'slipway-psl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Meets baseline, not restricted: no runAsNonRoot, no seccomp profile, capabilities not dropped. */
function deployment(namespace?: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', ...(namespace ? { namespace } : {}) },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'api', image: 'api:1.0.0' }] },
      },
    },
  };
}

function write(name: string, objects: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

/** The ids of the findings of a `--format json` run. */
function ids(stdout: string): string[] {
  return [
    ...new Set((JSON.parse(stdout) as { findings: { id: string }[] }).findings.map((f) => f.id)),
  ].sort();
}
const RESTRICTED_ONLY = ['SLW-K002', 'SLW-K003', 'SLW-K005'];
const restrictedOnly = (stdout: string) => ids(stdout).filter((id) => RESTRICTED_ONLY.includes(id));

describe('slipway check --pod-security-level', () => {
  const plain = write('plain.yaml', [deployment()]);
  const labelled = write('labelled.yaml', [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'legacy', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } },
    },
    deployment('legacy'),
  ]);

  it('judges at restricted by default', async () => {
    const result = await runCli(['check', plain, '--format', 'json']);
    expect(restrictedOnly(result.stdout)).toEqual(RESTRICTED_ONLY);
    expect(result.stderr).not.toContain('note:');
  });

  it('runs only the baseline rules at baseline, and says which level judged', async () => {
    const result = await runCli(['check', plain, '--pod-security-level', 'baseline', '--format', 'json']);
    expect(restrictedOnly(result.stdout)).toEqual([]);
    expect(ids(result.stdout)).toContain('SLW-K016');
    expect(result.stderr).toContain(
      'slipway: note: Pod Security baseline (--pod-security-level) judged Deployment/api: the restricted-only controls did not run',
    );
  });

  it('runs no Pod Security rule at privileged, and says so', async () => {
    const result = await runCli(['check', plain, '--pod-security-level', 'privileged', '--format', 'json']);
    const pss = ids(result.stdout).filter((id) => /^SLW-K0(0[2-9]|1[0-3]|22)$/.test(id));
    expect(pss).toEqual([]);
    expect(result.stderr).toContain('judged Deployment/api: no Pod Security rule ran for them');
  });

  it("takes the level from the Namespace's enforce label unless the option is given", async () => {
    const byLabel = await runCli(['check', labelled, '--format', 'json']);
    expect(restrictedOnly(byLabel.stdout)).toEqual([]);
    expect(byLabel.stderr).toContain(
      'Pod Security baseline (the pod-security.kubernetes.io/enforce label of namespace legacy) judged Deployment/api',
    );
    const byOption = await runCli([
      'check',
      labelled,
      '--pod-security-level',
      'restricted',
      '--format',
      'json',
    ]);
    expect(restrictedOnly(byOption.stdout)).toEqual(RESTRICTED_ONLY);
  });

  it('refuses an unknown level with exit 2, naming the levels', async () => {
    const result = await runCli(['check', plain, '--pod-security-level', 'strict']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown Pod Security level "strict"');
    expect(result.stderr).toContain('privileged, baseline, restricted');
    expect(result.stdout).toBe('');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { checkFiles } from '../../../src/check/runner.js';
import { UsageError } from '../../../src/errors.js';
import { manifestSet } from '../../../src/kube/objects.js';
import { POD_SECURITY_CONTROLS, podSecurityRules } from '../../../src/kube/pod-security.js';
import type { PodSecurityLevel } from '../../../src/kube/pod-security-level.js';
import { fixturesRoot } from './helpers.js';

/**
 * The Pod Security Admission library's own test data (copied unchanged from
 * kubernetes/pod-security-admission test/testdata, see its README; the same files as
 * ../shared/conformance/pod-security): judged at each level, every `fail` pod of that level must be
 * flagged, by the rule of the control its file is named after, and no `pass` pod. Each pod is
 * judged bare and as the template of every workload kind, which must not change the verdict.
 */
const DATA = join(fixturesRoot, 'pod-security-admission');
const VERSIONS = ['1.35', '1.37'] as const;
const RESTRICTED = podSecurityRules('restricted');

/** `capabilities_restricted1.yaml` → the rule of control `capabilities_restricted`. */
function controlRule(file: string): string {
  const name = file.replace(/\d*\.yaml$/, '').toLowerCase();
  const found = POD_SECURITY_CONTROLS.find((c) => c.control.toLowerCase() === name);
  if (!found) throw new Error(`no control for ${file}`);
  return found.rule;
}

type Kind = 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob';
const KINDS: readonly Kind[] = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
];

function asKind(pod: { metadata: Record<string, unknown>; spec: unknown }, kind: Kind): unknown {
  if (kind === 'Pod') return pod;
  // The pod's annotations (AppArmor's, before 1.30) travel with the template.
  const { name: _name, ...metadata } = pod.metadata;
  const template = { metadata: { ...metadata, labels: { app: 'x' } }, spec: pod.spec };
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  const selector = { matchLabels: { app: 'x' } };
  const spec =
    kind === 'CronJob'
      ? { schedule: '0 * * * *', jobTemplate: { spec: { template } } }
      : kind === 'Job'
        ? { template }
        : { selector, template };
  return { apiVersion, kind, metadata: { name: 'x' }, spec };
}

/**
 * The Pod Security rules that flag the pod (as `kind`) under `version`, judged at `level` (as
 * `--pod-security-level` sets it), or at the default level when none is given.
 */
function flaggedBy(file: string, version: string, kind: Kind = 'Pod', level?: PodSecurityLevel): string[] {
  const pod = parse(readFileSync(file, 'utf8')) as { metadata: Record<string, unknown>; spec: unknown };
  const text = stringify(asKind(pod, kind));
  const report = checkFiles({
    dockerfiles: [],
    manifests: [manifestSet('.', [{ path: 'pod.yaml', text }], { podSecurityLevel: level })],
    kubeVersion: version,
  });
  return [...new Set(report.findings.map((f) => f.id).filter((id) => RESTRICTED.has(id)))].sort();
}

function pods(level: string, version: string, verdict: 'pass' | 'fail'): string[] {
  const dir = join(DATA, level, `v${version}`, verdict);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(dir, name));
}

const base = (file: string) => file.split('/').pop() ?? file;

describe.each(VERSIONS)('Pod Security Standards of Kubernetes %s', (version) => {
  it('flag every restricted fail pod at restricted, by the rule of its control', () => {
    const files = pods('restricted', version, 'fail');
    expect(files).toHaveLength(76);
    for (const level of [undefined, 'restricted'] as const) {
      const missed = files.filter(
        (file) => !flaggedBy(file, version, 'Pod', level).includes(controlRule(base(file))),
      );
      expect(missed.map(base), `level ${level ?? 'default'}`).toEqual([]);
    }
  });

  it('flag no restricted pass pod at restricted', () => {
    const files = pods('restricted', version, 'pass');
    expect(files).toHaveLength(23);
    for (const level of [undefined, 'restricted'] as const) {
      const wrong = files
        .map((file) => [base(file), flaggedBy(file, version, 'Pod', level)] as const)
        .filter(([, ids]) => ids.length > 0);
      expect(wrong, `level ${level ?? 'default'}`).toEqual([]);
    }
  });

  it('flag every baseline fail pod at baseline, by the rule of its control', () => {
    const files = pods('baseline', version, 'fail');
    expect(files).toHaveLength(34);
    const missed = files.filter(
      (file) => !flaggedBy(file, version, 'Pod', 'baseline').includes(controlRule(base(file))),
    );
    expect(missed.map(base)).toEqual([]);
  });

  it('flag no baseline pass pod at baseline', () => {
    const files = pods('baseline', version, 'pass');
    expect(files).toHaveLength(15);
    const wrong = files
      .map((file) => [base(file), flaggedBy(file, version, 'Pod', 'baseline')] as const)
      .filter(([, ids]) => ids.length > 0);
    expect(wrong).toEqual([]);
  });

  it('flag the baseline pass pods at restricted: the level decides, not the data', () => {
    // Most of them break a restricted control (no runAsNonRoot, no seccomp profile...).
    const flagged = pods('baseline', version, 'pass').filter((file) => flaggedBy(file, version).length > 0);
    expect(flagged).toHaveLength(15);
  });

  it('run no Pod Security rule at privileged', () => {
    const files = [...pods('baseline', version, 'fail'), ...pods('restricted', version, 'fail')];
    const flagged = files.filter((file) => flaggedBy(file, version, 'Pod', 'privileged').length > 0);
    expect(flagged.map(base)).toEqual([]);
  });

  it('judge Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs as the bare Pod', () => {
    const cases = [
      ...[...pods('restricted', version, 'fail'), ...pods('restricted', version, 'pass')].map(
        (file) => [file, undefined] as const,
      ),
      ...[...pods('baseline', version, 'fail'), ...pods('baseline', version, 'pass')].map(
        (file) => [file, 'baseline'] as const,
      ),
    ];
    const differing: string[] = [];
    for (const [file, level] of cases) {
      const bare = flaggedBy(file, version, 'Pod', level);
      for (const kind of KINDS.slice(1)) {
        const wrapped = flaggedBy(file, version, kind, level);
        if (wrapped.join() !== bare.join())
          differing.push(`${base(file)} as ${kind} at ${level}: ${wrapped.join()} vs ${bare.join()}`);
      }
    }
    expect(differing).toEqual([]);
  });
});

describe('the Kubernetes version option', () => {
  const sysctls = (version: string) => join(DATA, 'restricted', `v${version}`, 'pass', 'sysctls1.yaml');

  it("judges by the chosen version's rules: 1.37's new safe sysctls are unsafe under 1.35", () => {
    expect(flaggedBy(sysctls('1.37'), '1.37')).toEqual([]);
    expect(flaggedBy(sysctls('1.37'), '1.35')).toEqual(['SLW-K011']);
    // tcp_rmem/tcp_wmem became safe in 1.32.
    expect(flaggedBy(sysctls('1.35'), '1.35')).toEqual([]);
    expect(flaggedBy(sysctls('1.35'), '1.31')).toEqual(['SLW-K011']);
  });

  it('judges probe hosts from 1.34 on, when the control was added', () => {
    const file = join(DATA, 'restricted', 'v1.35', 'fail', 'hostprobesandhostlifecycle0.yaml');
    expect(flaggedBy(file, '1.34')).toEqual(['SLW-K022']);
    expect(flaggedBy(file, '1.33')).toEqual([]);
  });

  it('defaults to 1.35 and refuses a version it cannot judge', () => {
    const run = (kubeVersion?: string) =>
      checkFiles({ dockerfiles: [], manifests: [], ...(kubeVersion === undefined ? {} : { kubeVersion }) });
    expect(run().findings).toEqual([]);
    expect(run('v1.37.2').findings).toEqual([]);
    for (const bad of ['1.24', '2.0', 'latest', '']) expect(() => run(bad), bad).toThrow(UsageError);
  });
});

import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkFiles } from '../../../src/check/runner.js';
import { UsageError } from '../../../src/errors.js';
import { manifestSet } from '../../../src/kube/objects.js';
import { podSecurityRules } from '../../../src/kube/pod-security.js';
import {
  ENFORCE_LABEL,
  type PodSecurityLevel,
  parsePodSecurityLevel,
  podSecurityGroups,
  podSecurityNotes,
} from '../../../src/kube/pod-security-level.js';

/**
 * The level that judges a pod: `--pod-security-level` (a set's podSecurityLevel), else the
 * enforce label of a Namespace object among the manifests, else restricted.
 */
const PSS = podSecurityRules('restricted');

function namespace(name: string, level?: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(level === undefined ? {} : { labels: { [ENFORCE_LABEL]: level } }) },
  };
}

/** A Deployment that meets baseline but not restricted: no runAsNonRoot, no seccomp, a hostPath-free NFS volume. */
function deployment(name: string, ns: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(ns === undefined ? {} : { namespace: ns }) },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image: `${name}:1.0.0`, ...extra }],
          volumes: [{ name: 'data', nfs: { server: 'nfs.local', path: '/data' } }],
        },
      },
    },
  };
}

function setOf(objects: unknown[], level?: PodSecurityLevel) {
  const text = objects.map((o) => stringify(o)).join('---\n');
  return manifestSet('.', [{ path: 'all.yaml', text }], { podSecurityLevel: level });
}

function pssFindings(objects: unknown[], level?: PodSecurityLevel) {
  const report = checkFiles({ dockerfiles: [], manifests: [setOf(objects, level)] });
  return report.findings.filter((f) => PSS.has(f.id));
}

const ids = (findings: { id: string }[]) => [...new Set(findings.map((f) => f.id))].sort();
const privileged = { securityContext: { privileged: true } };

describe('the Pod Security level of a namespace', () => {
  it('judges at restricted when no option and no label says otherwise', () => {
    expect(ids(pssFindings([deployment('api', 'shop')]))).toEqual([
      'SLW-K002',
      'SLW-K003',
      'SLW-K004',
      'SLW-K005',
      'SLW-K008',
    ]);
    // A Namespace without the label, or a workload outside any labelled namespace, changes nothing.
    expect(ids(pssFindings([namespace('shop'), deployment('api', 'shop')]))).toHaveLength(5);
    expect(ids(pssFindings([namespace('legacy', 'baseline'), deployment('api', undefined)]))).toHaveLength(5);
  });

  it("judges a labelled namespace's pods at its level, and says which level judged", () => {
    const findings = pssFindings([namespace('legacy', 'baseline'), deployment('api', 'legacy')]);
    expect(findings).toEqual([]);
    const broken = pssFindings([namespace('legacy', 'baseline'), deployment('api', 'legacy', privileged)]);
    expect(ids(broken)).toEqual(['SLW-K007']);
    expect(broken[0]?.evidence).toContain(
      `judged at Pod Security baseline (the ${ENFORCE_LABEL} label of namespace legacy)`,
    );
  });

  it('judges each namespace by its own label', () => {
    const objects = [
      namespace('legacy', 'baseline'),
      namespace('shop', 'restricted'),
      deployment('old', 'legacy'),
      deployment('api', 'shop'),
    ];
    const findings = pssFindings(objects);
    // The same pod spec: flagged where restricted judges it, not where baseline does.
    expect(findings.filter((f) => f.message.includes('old'))).toEqual([]);
    expect(findings.every((f) => f.message.includes('api'))).toBe(true);
    expect(ids(findings)).toHaveLength(5);
  });

  it('runs no Pod Security rule for a privileged namespace', () => {
    expect(pssFindings([namespace('ops', 'privileged'), deployment('agent', 'ops', privileged)])).toEqual([]);
  });

  it('judges at restricted under a label that names no level, and says why', () => {
    const findings = pssFindings([namespace('shop', 'strict'), deployment('api', 'shop')]);
    expect(ids(findings)).toHaveLength(5);
    expect(findings[0]?.evidence?.join()).toContain('"strict" names no level');
  });

  it('lets --pod-security-level win over the labels', () => {
    const objects = [namespace('shop', 'restricted'), deployment('api', 'shop', privileged)];
    expect(ids(pssFindings(objects, 'baseline'))).toEqual(['SLW-K007']);
    expect(pssFindings(objects, 'privileged')).toEqual([]);
    expect(pssFindings([namespace('ops', 'privileged'), deployment('x', 'ops')], 'restricted')).not.toEqual(
      [],
    );
    expect(pssFindings(objects, 'baseline')[0]?.evidence).toContain(
      'judged at Pod Security baseline (--pod-security-level)',
    );
  });

  it('leaves the rules that are not Pod Security running at every level', () => {
    const report = checkFiles({
      dockerfiles: [],
      manifests: [setOf([deployment('api', 'shop', { image: 'api:latest' })], 'privileged')],
    });
    expect(report.findings.map((f) => f.id)).toContain('SLW-K017');
  });
});

describe('what the output says judged', () => {
  it('groups the workloads by level and source', () => {
    const set = setOf([
      namespace('legacy', 'baseline'),
      namespace('ops', 'privileged'),
      deployment('old', 'legacy'),
      deployment('agent', 'ops'),
      deployment('api', 'shop'),
    ]);
    expect(podSecurityGroups([set]).map((g) => [g.level, g.source, g.workloads])).toEqual([
      ['baseline', 'namespace', ['Deployment/old']],
      ['privileged', 'namespace', ['Deployment/agent']],
      ['restricted', 'default', ['Deployment/api']],
    ]);
    expect(podSecurityNotes([set])).toEqual([
      `Pod Security baseline (the ${ENFORCE_LABEL} label of namespace legacy) judged Deployment/old: the restricted-only controls did not run`,
      `Pod Security privileged (the ${ENFORCE_LABEL} label of namespace ops) judged Deployment/agent: no Pod Security rule ran for them`,
    ]);
  });

  it('says nothing when every pod is judged at the default level', () => {
    expect(podSecurityNotes([setOf([deployment('api', 'shop')])])).toEqual([]);
  });

  it('names the option when it chose the level', () => {
    expect(podSecurityNotes([setOf([deployment('api', undefined)], 'privileged')])).toEqual([
      'Pod Security privileged (--pod-security-level) judged Deployment/api: no Pod Security rule ran for them',
    ]);
  });
});

describe('--pod-security-level', () => {
  it('takes the three levels and refuses anything else, naming them', () => {
    expect(parsePodSecurityLevel('baseline')).toBe('baseline');
    expect(parsePodSecurityLevel('Restricted')).toBe('restricted');
    expect(parsePodSecurityLevel('privileged')).toBe('privileged');
    expect(() => parsePodSecurityLevel('strict')).toThrow(UsageError);
    try {
      parsePodSecurityLevel('');
      expect.unreachable('an empty level is refused');
    } catch (error) {
      expect((error as UsageError).fix).toContain('privileged, baseline, restricted');
    }
  });
});

describe('the rules of each level', () => {
  it('restricted holds the baseline rules and its own; privileged none', () => {
    const baseline = podSecurityRules('baseline');
    expect([...baseline].sort()).toEqual([
      'SLW-K004',
      'SLW-K005',
      'SLW-K006',
      'SLW-K007',
      'SLW-K008',
      'SLW-K009',
      'SLW-K010',
      'SLW-K011',
      'SLW-K012',
      'SLW-K013',
      'SLW-K022',
    ]);
    expect([...PSS].filter((id) => !baseline.has(id)).sort()).toEqual(['SLW-K002', 'SLW-K003']);
    expect(podSecurityRules('privileged').size).toBe(0);
  });
});

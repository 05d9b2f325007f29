import { UsageError } from '../errors.js';
import { describe, type ManifestObject, type ManifestSet, record } from './objects.js';
import { type PodTemplate, podTemplates } from './pods.js';

/**
 * Which Pod Security level judges a pod. Pod Security Admission takes it from the
 * `pod-security.kubernetes.io/enforce` label of the pod's namespace; slipway does the same for a
 * Namespace object among the manifests it checks, unless `--pod-security-level` chooses one for
 * every pod. Without either it judges at "restricted", the level slipway's own manifests meet.
 */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

export const DEFAULT_POD_SECURITY_LEVEL: PodSecurityLevel = 'restricted';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** Where the level that judged a pod came from. */
export type LevelSource = 'option' | 'namespace' | 'default';

export interface PodSecurityJudgement {
  readonly level: PodSecurityLevel;
  readonly source: LevelSource;
  /** The namespace whose label chose the level (source `namespace`). */
  readonly namespace?: string;
  /** An enforce label that names no level: judged at restricted, as Pod Security Admission does. */
  readonly invalidLabel?: string;
}

export function isPodSecurityLevel(text: string): text is PodSecurityLevel {
  return (POD_SECURITY_LEVELS as readonly string[]).includes(text);
}

/** `--pod-security-level`: one of the three levels, or a usage error naming them. */
export function parsePodSecurityLevel(text: string): PodSecurityLevel {
  const level = text.trim().toLowerCase();
  if (isPodSecurityLevel(level)) return level;
  throw new UsageError(`unknown Pod Security level ${JSON.stringify(text)}`, {
    fix: `give one of ${POD_SECURITY_LEVELS.join(', ')}, e.g. --pod-security-level baseline`,
  });
}

/** Whether a control of `control`'s level runs for a pod judged at `judged`. */
export function judges(judged: PodSecurityLevel, control: Exclude<PodSecurityLevel, 'privileged'>): boolean {
  return control === 'baseline' ? judged !== 'privileged' : judged === 'restricted';
}

function namespaceOf(object: ManifestObject): string | undefined {
  const namespace = record(object.value.metadata)?.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

/** The enforce label of each Namespace object of the set, by namespace name. */
export function namespaceLabels(set: ManifestSet): Map<string, string> {
  const labels = new Map<string, string>();
  for (const object of set.objects) {
    if (object.kind !== 'Namespace' || object.name === '') continue;
    const value = record(record(object.value.metadata)?.labels)?.[ENFORCE_LABEL];
    if (typeof value === 'string') labels.set(object.name, value);
  }
  return labels;
}

/**
 * The level a pod is judged at: the set's chosen level (the option), else the enforce label of
 * the Namespace object named by the workload's `metadata.namespace`, else restricted. A workload
 * without a namespace goes wherever it is applied: no label of the set can be said to hold for it.
 */
export function judgementOf(
  pod: PodTemplate,
  set: ManifestSet,
  labels: ReadonlyMap<string, string> = namespaceLabels(set),
): PodSecurityJudgement {
  if (set.podSecurityLevel) return { level: set.podSecurityLevel, source: 'option' };
  const namespace = namespaceOf(pod.object);
  const label = namespace === undefined ? undefined : labels.get(namespace);
  if (namespace === undefined || label === undefined) {
    return { level: DEFAULT_POD_SECURITY_LEVEL, source: 'default' };
  }
  const level = label.trim().toLowerCase();
  if (isPodSecurityLevel(level)) return { level, source: 'namespace', namespace };
  return { level: 'restricted', source: 'namespace', namespace, invalidLabel: label };
}

/** How a finding or note names the level that judged: "Pod Security baseline (…)". */
export function describeJudgement(judgement: PodSecurityJudgement): string {
  const why =
    judgement.source === 'option'
      ? '--pod-security-level'
      : judgement.source === 'default'
        ? 'the default'
        : judgement.invalidLabel !== undefined
          ? `namespace ${judgement.namespace}'s ${ENFORCE_LABEL} label ${JSON.stringify(judgement.invalidLabel)} names no level; Pod Security Admission then enforces restricted`
          : `the ${ENFORCE_LABEL} label of namespace ${judgement.namespace}`;
  return `Pod Security ${judgement.level} (${why})`;
}

/** The workloads of the sets judged alike, with the judgement: what the output says judged them. */
export interface PodSecurityGroup extends PodSecurityJudgement {
  /** `Deployment/api`, in the order of the sets. */
  readonly workloads: readonly string[];
}

/** The pods of the sets grouped by the level that judges them and why. */
export function podSecurityGroups(sets: readonly ManifestSet[]): PodSecurityGroup[] {
  const groups = new Map<string, { judgement: PodSecurityJudgement; workloads: string[] }>();
  for (const set of sets) {
    const labels = namespaceLabels(set);
    for (const pod of podTemplates(set.objects)) {
      const judgement = judgementOf(pod, set, labels);
      const key = describeJudgement(judgement);
      const group = groups.get(key) ?? { judgement, workloads: [] };
      const workload = describe(pod.object);
      if (!group.workloads.includes(workload)) group.workloads.push(workload);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map(({ judgement, workloads }) => ({ ...judgement, workloads }));
}

/**
 * One line per group not judged by default, e.g. "Pod Security baseline (the … label of namespace
 * legacy) judged Deployment/api: the restricted controls did not run"; a privileged group says no
 * Pod Security rule ran. Nothing when every pod was judged at the default restricted level.
 */
export function podSecurityNotes(sets: readonly ManifestSet[]): string[] {
  return podSecurityGroups(sets)
    .filter((group) => group.source !== 'default')
    .map((group) => {
      const what = `${describeJudgement(group)} judged ${group.workloads.join(', ')}`;
      if (group.level === 'privileged') return `${what}: no Pod Security rule ran for them`;
      if (group.level === 'baseline') return `${what}: the restricted-only controls did not run`;
      return what;
    });
}

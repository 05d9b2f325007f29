import type { ManifestSet } from '../../kube/objects.js';
import {
  describeJudgement,
  judgementOf,
  judges,
  namespaceLabels,
  type PodSecurityLevel,
} from '../../kube/pod-security-level.js';
import { type PodTemplate, podTemplates } from '../../kube/pods.js';
import type { Violation } from '../types.js';

/**
 * Runs a Pod Security rule over the pods of a set that its control's level judges: a baseline
 * control over pods judged at baseline or restricted, a restricted control over pods judged at
 * restricted; nothing over privileged pods. `judge` gets the pod's level, for the rules that hold
 * a baseline and a restricted control (capabilities, seccomp, volumes, procMount). A finding on a
 * pod judged otherwise than by default names the level that judged it and why.
 */
export function forJudgedPods(
  set: ManifestSet,
  control: Exclude<PodSecurityLevel, 'privileged'>,
  judge: (pod: PodTemplate, level: PodSecurityLevel) => Violation[],
): Violation[] {
  const labels = namespaceLabels(set);
  return podTemplates(set.objects).flatMap((pod) => {
    const judgement = judgementOf(pod, set, labels);
    if (!judges(judgement.level, control)) return [];
    const found = judge(pod, judgement.level);
    if (judgement.source === 'default') return found;
    const note = `judged at ${describeJudgement(judgement)}`;
    return found.map((v) => ({ ...v, evidence: [...(v.evidence ?? []), note] }));
  });
}

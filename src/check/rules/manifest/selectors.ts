import { describe, type ManifestObject, record } from '../../../kube/objects.js';
import { matchesSelector, podTemplate, podTemplates, selects } from '../../../kube/pods.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

const CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * A selector that matches nothing fails quietly: a Deployment the API rejects, a Service with no
 * endpoints, a PDB or NetworkPolicy that protects no pod, an autoscaler with no target.
 */
export const rule: ManifestRule = {
  id: 'SLW-K019',
  docs: 'docs/rules/SLW-K019.md',
  title: 'Selectors match the pod labels',
  severity: 'error',
  scope: 'manifest',
  hint: 'make the selector a subset of spec.template.metadata.labels (app.kubernetes.io/name and /instance)',
  run({ set }) {
    const out: Violation[] = [];
    const pods = podTemplates(set.objects);
    const anyPod = (selector: (labels: Record<string, unknown>) => boolean) =>
      pods.some((pod) => selector(pod.labels));
    for (const object of set.objects) {
      const spec = record(object.value.spec) ?? {};
      if (CONTROLLERS.has(object.kind)) {
        const template = podTemplate(object);
        // Jobs generate their own selector unless manualSelector is set.
        if (object.kind === 'Job' && spec.manualSelector !== true) continue;
        if (template && !matchesSelector(record(spec.selector), template.labels)) {
          out.push(
            violation(
              object,
              ['spec', 'selector'],
              `${describe(object)}: spec.selector does not match the pod template's labels`,
            ),
          );
        }
      } else if (object.kind === 'Service' && record(spec.selector) && pods.length > 0) {
        const selector = record(spec.selector) ?? {};
        if (!anyPod((labels) => selects(selector, labels))) {
          out.push(
            violation(
              object,
              ['spec', 'selector'],
              `${describe(object)} selects no pod in these manifests: it will have no endpoints`,
            ),
          );
        }
      } else if (object.kind === 'PodDisruptionBudget' || object.kind === 'NetworkPolicy') {
        const selector = record(object.kind === 'NetworkPolicy' ? spec.podSelector : spec.selector);
        const field = object.kind === 'NetworkPolicy' ? 'podSelector' : 'selector';
        if (pods.length > 0 && !anyPod((labels) => matchesSelector(selector, labels))) {
          out.push(
            violation(object, ['spec', field], `${describe(object)} selects no pod in these manifests`),
          );
        }
      } else if (object.kind === 'HorizontalPodAutoscaler') {
        out.push(...hpaTarget(object, set.objects));
      }
    }
    return out;
  },
};

function hpaTarget(hpa: ManifestObject, objects: readonly ManifestObject[]): Violation[] {
  const ref = record(record(hpa.value.spec)?.scaleTargetRef);
  if (!ref) return [];
  const found = objects.some((o) => o.kind === ref.kind && o.name === ref.name);
  return found
    ? []
    : [
        violation(
          hpa,
          ['spec', 'scaleTargetRef'],
          `${describe(hpa)} scales ${String(ref.kind)}/${String(ref.name)}, which is not in these manifests`,
        ),
      ];
}

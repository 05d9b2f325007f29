import { describe } from '../../../kube/objects.js';
import { formatPath, KUBERNETES_VERSION, knownKind, validateObject } from '../../../kube/schema.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

// Enough to point at the problem; a badly broken object would otherwise drown the report.
const MAX_PER_OBJECT = 5;

/** A manifest the API server rejects fails the deploy; caught here, it fails in seconds and offline. */
export const rule: ManifestRule = {
  id: 'SLW-K001',
  docs: 'docs/rules/SLW-K001.md',
  title: `Valid against the Kubernetes ${KUBERNETES_VERSION} schema`,
  severity: 'error',
  scope: 'manifest',
  hint: `correct the field as the Kubernetes ${KUBERNETES_VERSION} API reference describes it (kubectl explain <kind>.<field>)`,
  run({ set }) {
    const out: Violation[] = [];
    for (const object of set.objects) {
      if (!object.apiVersion || !object.kind) {
        out.push(violation(object, [], 'not a Kubernetes object: apiVersion and kind are required'));
        continue;
      }
      if (!knownKind(object.apiVersion, object.kind)) continue;
      for (const problem of validateObject(object.apiVersion, object.kind, object.value).slice(
        0,
        MAX_PER_OBJECT,
      )) {
        const where = problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
        out.push(violation(object, problem.path, `${describe(object)}: ${where}${problem.message}`));
      }
    }
    return out;
  },
};

import { describe, list, record } from '../../../kube/objects.js';
import { containers, podTemplates } from '../../../kube/pods.js';
import { hasUrlCredentials, isPlaceholder, isSecretName } from '../../../secrets/names.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

/**
 * A secret written in a manifest is in git, in CI logs and in every clone. Secrets are created out
 * of band (kubectl create secret, an external secret operator) and referenced by name.
 */
export const rule: ManifestRule = {
  id: 'SLW-K021',
  docs: 'docs/rules/SLW-K021.md',
  title: 'No secret values inline',
  severity: 'error',
  scope: 'manifest',
  hint: 'reference a Secret created outside the repository (env.valueFrom.secretKeyRef) instead of writing the value',
  run({ set }) {
    const out: Violation[] = [];
    for (const pod of podTemplates(set.objects)) {
      for (const ref of containers(pod)) {
        list(ref.container.env).forEach((item, index) => {
          const env = record(item) ?? {};
          const name = String(env.name ?? '');
          const value = typeof env.value === 'string' ? env.value : undefined;
          if (value === undefined || isPlaceholder(value)) return;
          if (isSecretName(name) || hasUrlCredentials(value)) {
            out.push(
              violation(
                pod.object,
                [...ref.path, 'env', index, 'value'],
                `container ${ref.name} of ${describe(pod.object)} sets ${name} to a literal value`,
              ),
            );
          }
        });
      }
    }
    for (const object of set.objects) {
      if (object.kind === 'Secret') {
        for (const field of ['data', 'stringData'] as const) {
          const entries = Object.entries(record(object.value[field]) ?? {}).filter(
            ([, v]) => typeof v === 'string' && v !== '',
          );
          for (const [key] of entries) {
            out.push(
              violation(
                object,
                [field, key],
                `${describe(object)} carries the value of ${key} in the manifests`,
              ),
            );
          }
        }
      } else if (object.kind === 'ConfigMap') {
        for (const [key, value] of Object.entries(record(object.value.data) ?? {})) {
          if (
            typeof value === 'string' &&
            (hasUrlCredentials(value) || (isSecretName(key) && !isPlaceholder(value)))
          ) {
            out.push(
              violation(object, ['data', key], `${describe(object)} holds ${key}, a secret, in a ConfigMap`),
            );
          }
        }
      }
    }
    return out;
  },
};

import { describe, list, record } from '../../../kube/objects.js';
import { appContainers } from '../../manifest/app-containers.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestSet, ProjectRule, Violation } from '../../types.js';

/** Keys an envFrom source provides; undefined when the object is not in the manifests (made by hand). */
function keysOf(set: ManifestSet, kind: 'ConfigMap' | 'Secret', name: unknown): string[] | undefined {
  const object = set.objects.find((o) => o.kind === kind && o.name === name);
  if (!object) return undefined;
  return [
    ...Object.keys(record(object.value.data) ?? {}),
    ...Object.keys(record(object.value.stringData) ?? {}),
  ];
}

/**
 * pydantic-settings refuses to start when a required setting is missing: the pod crash-loops. Every
 * required variable must come from env, or from a ConfigMap/Secret the container reads whole.
 */
export const rule: ProjectRule = {
  id: 'SLW-P004',
  docs: 'docs/rules/SLW-P004.md',
  title: 'Env, ConfigMap and Secret keys cover the required settings',
  severity: 'error',
  scope: 'project',
  hint: 'add the variable to env (valueFrom.secretKeyRef for secrets) or to the ConfigMap the container reads with envFrom',
  run({ manifests, model }) {
    if (!model) return [];
    const required = model.settings.env.filter((setting) => setting.required);
    if (required.length === 0) return [];
    const out: Violation[] = [];
    for (const set of manifests) {
      for (const ref of appContainers(set, model)) {
        const provided = new Set(list(ref.container.env).map((e) => String(record(e)?.name)));
        let unknownSource = false;
        for (const item of list(ref.container.envFrom)) {
          const source = record(item) ?? {};
          const prefix = typeof source.prefix === 'string' ? source.prefix : '';
          const configMap = record(source.configMapRef);
          const secret = record(source.secretRef);
          const keys = configMap
            ? keysOf(set, 'ConfigMap', configMap.name)
            : secret
              ? keysOf(set, 'Secret', secret.name)
              : [];
          // A Secret made with kubectl create secret is not in the manifests: its keys are unknown,
          // and guessing "missing" would be wrong as often as right.
          if (keys === undefined) unknownSource = true;
          for (const key of keys ?? []) provided.add(`${prefix}${key}`);
        }
        if (unknownSource) continue;
        const missing = required.filter((setting) => !provided.has(setting.name));
        if (missing.length === 0) continue;
        out.push(
          violation(
            ref.pod.object,
            ref.path,
            `container ${ref.name} of ${describe(ref.pod.object)} does not set the required setting${missing.length > 1 ? 's' : ''} ${missing.map((s) => s.name).join(', ')}`,
            {
              evidence: missing.map(
                (s) => `${s.settingsClass}.${s.field}: ${s.type}${s.secret ? ' (secret)' : ''}`,
              ),
            },
          ),
        );
      }
    }
    return out;
  },
};

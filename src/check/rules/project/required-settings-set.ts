import { describe, list, record } from '../../../kube/objects.js';
import { appContainers } from '../../manifest/app-containers.js';
import { violation } from '../../manifest/violation.js';
import type { ProjectRule, Violation } from '../../types.js';

/**
 * init writes every required setting into the ConfigMap, with the value from .env.example when the
 * project has one and an empty value otherwise: the key is there (SLW-P004 is content), but an
 * empty string is rarely what the app needs. A warning, not an error: someone must fill it in, and
 * `slipway deploy` refuses to apply until they have.
 */
export const rule: ProjectRule = {
  id: 'SLW-P007',
  docs: 'docs/rules/SLW-P007.md',
  title: 'Required settings have values in the ConfigMap',
  severity: 'warning',
  scope: 'project',
  hint: 'fill in the value in the ConfigMap (or an overlay), or move a secret into the Secret the container reads',
  run({ manifests, model }) {
    if (!model) return [];
    const required = new Set(model.settings.env.filter((s) => s.required && !s.secret).map((s) => s.name));
    if (required.size === 0) return [];
    const out: Violation[] = [];
    for (const set of manifests) {
      for (const ref of appContainers(set, model)) {
        for (const item of list(ref.container.envFrom)) {
          const source = record(item) ?? {};
          const name = record(source.configMapRef)?.name;
          const prefix = typeof source.prefix === 'string' ? source.prefix : '';
          const configMap = set.objects.find((o) => o.kind === 'ConfigMap' && o.name === name);
          const data = record(configMap?.value.data) ?? {};
          const empty = Object.entries(data)
            .filter(([key, value]) => required.has(`${prefix}${key}`) && String(value ?? '').trim() === '')
            .map(([key]) => key);
          if (!configMap || empty.length === 0) continue;
          out.push(
            violation(
              configMap,
              ['data', empty[0] as string],
              `${describe(configMap)} leaves the required setting${empty.length > 1 ? 's' : ''} ${empty.join(', ')} empty (read by container ${ref.name})`,
            ),
          );
        }
      }
    }
    return out;
  },
};

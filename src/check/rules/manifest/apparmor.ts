import { describe, record } from '../../../kube/objects.js';
import { containers } from '../../../kube/pods.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

const ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** Pod Security "baseline": AppArmor may be the runtime default or a node-local profile, never Unconfined. */
export const rule: ManifestRule = {
  id: 'SLW-K012',
  docs: 'docs/rules/SLW-K012.md',
  title: 'AppArmor not Unconfined',
  severity: 'error',
  scope: 'manifest',
  hint: 'remove the AppArmor override, or set appArmorProfile.type: RuntimeDefault',
  run({ set }) {
    return forJudgedPods(set, 'baseline', (pod) => {
      const out: Violation[] = [];
      for (const [key, value] of Object.entries(pod.annotations)) {
        if (
          key.startsWith(ANNOTATION) &&
          value !== 'runtime/default' &&
          !String(value).startsWith('localhost/')
        ) {
          out.push(
            violation(
              pod.object,
              [...pod.metadataPath, 'annotations', key],
              `${describe(pod.object)}: AppArmor profile ${String(value)} for ${key.slice(ANNOTATION.length)}`,
            ),
          );
        }
      }
      const podType = record(record(pod.spec.securityContext)?.appArmorProfile)?.type;
      if (podType !== undefined && podType !== 'RuntimeDefault' && podType !== 'Localhost') {
        out.push(
          violation(
            pod.object,
            [...pod.specPath, 'securityContext', 'appArmorProfile', 'type'],
            `${describe(pod.object)}: appArmorProfile ${String(podType)}`,
          ),
        );
      }
      for (const ref of containers(pod)) {
        const type = record(record(ref.container.securityContext)?.appArmorProfile)?.type;
        if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') {
          out.push(
            violation(
              pod.object,
              [...ref.path, 'securityContext', 'appArmorProfile', 'type'],
              `container ${ref.name}: appArmorProfile ${String(type)}`,
            ),
          );
        }
      }
      return out;
    });
  },
};

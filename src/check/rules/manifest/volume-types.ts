import { describe, list, record } from '../../../kube/objects.js';
import { forJudgedPods } from '../../manifest/pod-security.js';
import { violation } from '../../manifest/violation.js';
import type { ManifestRule, Violation } from '../../types.js';

// The volume sources Pod Security "restricted" allows; everything else (hostPath first) is denied.
const ALLOWED = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/**
 * Pod Security "restricted": only volume types that cannot reach the node. A hostPath volume
 * reads or writes the node's files ("baseline" forbids that one), and other types (nfs, iscsi...)
 * mount storage with the node's credentials.
 */
export const rule: ManifestRule = {
  id: 'SLW-K008',
  docs: 'docs/rules/SLW-K008.md',
  title: 'Only restricted volume types (no hostPath)',
  severity: 'error',
  scope: 'manifest',
  hint: 'use emptyDir, configMap, secret, projected, downwardAPI, csi, ephemeral or persistentVolumeClaim volumes',
  run({ set }) {
    return forJudgedPods(set, 'baseline', (pod, level) => {
      const out: Violation[] = [];
      list(pod.spec.volumes).forEach((item, index) => {
        const volume = record(item) ?? {};
        for (const type of Object.keys(volume).filter((key) => key !== 'name')) {
          // Baseline forbids only hostPath; restricted allows nothing outside its list.
          if (ALLOWED.has(type) || (level !== 'restricted' && type !== 'hostPath')) continue;
          const what =
            type === 'hostPath' ? 'mounts a path of the node (hostPath)' : `uses the volume type ${type}`;
          out.push(
            violation(
              pod.object,
              [...pod.specPath, 'volumes', index, type],
              `${describe(pod.object)}: volume ${String(volume.name)} ${what}`,
            ),
          );
        }
      });
      return out;
    });
  },
};

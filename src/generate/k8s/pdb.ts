import type { ProjectModel } from '../../analyze/model.js';
import { type Json, metadata, selectorLabels, toYaml } from './objects.js';

/**
 * maxUnavailable 1 fits every replica count: with one replica (the local overlay) a node drain is
 * not blocked forever, as minAvailable 1 would; with two or more, one pod always keeps serving.
 */
export function podDisruptionBudget(model: ProjectModel): string {
  const object: Json = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(model),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(model) } },
  };
  return toYaml(object);
}

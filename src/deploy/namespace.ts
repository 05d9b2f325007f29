import type { ProjectModel } from '../analyze/model.js';
import type { Cluster } from './cluster.js';

/** --namespace, then the project's configured namespace, then the context's, then `default`. */
export function resolveNamespace(
  options: { readonly namespace?: string | undefined },
  model: ProjectModel,
  cluster: Pick<Cluster, 'contextNamespace'>,
): string {
  return options.namespace ?? model.config.kubernetes.namespace ?? cluster.contextNamespace ?? 'default';
}

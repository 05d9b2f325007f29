import type { ProjectModel } from '../../analyze/model.js';
import { resourceName } from '../common.js';
import { type Json, metadata, toYaml } from './objects.js';

/** The production replica floor: two, so one pod can go (rollout, drain) while another serves. */
export function productionReplicas(model: ProjectModel): number {
  return Math.max(2, model.config.kubernetes.replicas);
}

/** CPU-based autoscaling; it works because every container has a CPU request. */
export function horizontalPodAutoscaler(model: ProjectModel): string {
  const min = productionReplicas(model);
  const object: Json = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(model),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: resourceName(model) },
      minReplicas: min,
      maxReplicas: min * 3,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  };
  return toYaml(object);
}

import type { ProjectModel } from '../../analyze/model.js';
import { resourceName } from '../common.js';
import { horizontalPodAutoscaler, productionReplicas } from './hpa.js';
import { type Json, selectorLabels, toYaml } from './objects.js';

/**
 * The Kustomize tree: a base that is complete on its own, and two overlays that change only what
 * differs between a laptop cluster and production. Apply with `kubectl apply -k <overlay>`.
 */

export const BASE = 'deploy/k8s/base';
export const LOCAL = 'deploy/k8s/overlays/local';
export const PRODUCTION = 'deploy/k8s/overlays/production';

const KUSTOMIZATION = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' };

export function baseKustomization(model: ProjectModel, resources: readonly string[]): string {
  const namespace = model.config.kubernetes.namespace;
  const object: Json = {
    ...KUSTOMIZATION,
    ...(namespace ? { namespace } : {}),
    resources: [...resources],
  };
  return toYaml(
    object,
    `The Secret ${resourceName(model)}-secrets is created by hand (see secret.example.env): it is\nnot listed here, so no file with real values is ever needed in the repository.`,
  );
}

/** A strategic-merge patch of the Deployment; its one container is matched by name. */
function deploymentPatch(
  model: ProjectModel,
  patch: { replicas?: number; pod?: Record<string, Json>; container: Record<string, Json> },
): Json {
  const name = resourceName(model);
  const spec: Record<string, Json> = {};
  if (patch.replicas !== undefined) spec.replicas = patch.replicas;
  spec.template = { spec: { ...patch.pod, containers: [{ name, ...patch.container }] } };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec };
}

export function localOverlay(model: ProjectModel): Record<string, string> {
  const patch = deploymentPatch(model, { replicas: 1, container: { imagePullPolicy: 'Never' } });
  return {
    [`${LOCAL}/kustomization.yaml`]: toYaml(
      { ...KUSTOMIZATION, resources: ['../../base'], patches: [{ path: 'deployment-patch.yaml' }] },
      'A one-node cluster on this machine: one replica, and the image loaded into the cluster by hand\n(`slipway deploy` does it), never pulled from a registry.',
    ),
    [`${LOCAL}/deployment-patch.yaml`]: toYaml(
      patch,
      'imagePullPolicy Never: the image is loaded into the node, not pulled; a missing image fails\nwith ErrImageNeverPull instead of waiting on a registry.',
    ),
  };
}

export function productionOverlay(model: ProjectModel): Record<string, string> {
  const pod: Record<string, Json> = {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selectorLabels(model) },
      },
    ],
  };
  const patch = deploymentPatch(model, { pod, container: { imagePullPolicy: 'IfNotPresent' } });
  return {
    [`${PRODUCTION}/kustomization.yaml`]: toYaml(
      {
        ...KUSTOMIZATION,
        resources: ['../../base', 'hpa.yaml'],
        patches: [{ path: 'deployment-patch.yaml' }],
      },
      `At least ${productionReplicas(model)} replicas, kept by the HorizontalPodAutoscaler. The Deployment sets no\nreplicas of its own, so a re-apply does not undo the autoscaler's choice.`,
    ),
    [`${PRODUCTION}/hpa.yaml`]: horizontalPodAutoscaler(model),
    [`${PRODUCTION}/deployment-patch.yaml`]: toYaml(
      patch,
      'Spread the replicas over nodes, so that losing one node does not take the service down.',
    ),
  };
}

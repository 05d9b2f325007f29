import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { changedPaths } from '../../../src/deploy/apply.js';
import {
  type Manifest,
  orderForApply,
  renderForDeploy,
  requiredSecrets,
} from '../../../src/deploy/manifests.js';
import { UsageError } from '../../../src/errors.js';

const backend = join(import.meta.dirname, '..', '..', '..', 'examples', 'backend');
let model: ProjectModel;
beforeAll(async () => {
  model = await analyzeProject(backend);
});

interface DeploymentSpec {
  replicas?: number;
  template: { spec: { containers: { image: string }[] } };
}
function deploymentSpec(objects: Manifest[]): DeploymentSpec {
  const deployment = objects.find((o) => o.kind === 'Deployment');
  if (!deployment) throw new Error('no Deployment rendered');
  return deployment.spec as DeploymentSpec;
}

describe('renderForDeploy (the reference backend)', () => {
  it('renders the local overlay in apply order, in the namespace, with the image', () => {
    const objects = renderForDeploy({
      model,
      overlay: 'local',
      namespace: 'shop',
      image: 'inventory-api:0.1.0-abc',
    });
    expect(objects.map((o) => o.kind)).toEqual([
      'ConfigMap',
      'Service',
      'Deployment',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ]);
    expect(new Set(objects.map((o) => o.metadata?.namespace))).toEqual(new Set(['shop']));
    expect(deploymentSpec(objects).template.spec.containers[0]?.image).toBe('inventory-api:0.1.0-abc');
  });

  it('sets replicas on the local overlay and refuses them where an autoscaler owns the count', () => {
    const local = renderForDeploy({ model, overlay: 'local', namespace: 'x', image: 'i:1', replicas: 2 });
    expect(deploymentSpec(local).replicas).toBe(2);
    expect(() =>
      renderForDeploy({ model, overlay: 'production', namespace: 'x', image: 'i:1', replicas: 2 }),
    ).toThrow(UsageError);
  });

  it('lists the Secret and the keys the pods cannot start without', () => {
    const objects = renderForDeploy({ model, overlay: 'production', namespace: 'x', image: 'i:1' });
    expect(requiredSecrets(objects)).toEqual([
      { name: 'inventory-api-secrets', keys: ['INVENTORY_API_KEY'] },
    ]);
  });

  it('refuses an overlay that does not exist, naming the fix', () => {
    expect(() => renderForDeploy({ model, overlay: 'staging', namespace: 'x', image: 'i:1' })).toThrow(
      /no overlay "staging"/,
    );
  });
});

describe('orderForApply', () => {
  it('puts namespace, config, Service and Deployment first, keeping the rest in order', () => {
    const kinds = [
      'NetworkPolicy',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Secret',
      'Service',
      'Namespace',
      'ConfigMap',
    ];
    const ordered = orderForApply(kinds.map((kind) => ({ kind, metadata: { name: kind } })));
    expect(ordered.map((o) => o.kind)).toEqual([
      'Namespace',
      'Secret',
      'ConfigMap',
      'Service',
      'Deployment',
      'NetworkPolicy',
      'HorizontalPodAutoscaler',
    ]);
  });
});

describe('changedPaths', () => {
  it('names the fields whose values differ', () => {
    const before = { spec: { replicas: 1, template: { containers: [{ image: 'a:1' }, { image: 'b' }] } } };
    const after = { spec: { replicas: 2, template: { containers: [{ image: 'a:2' }, { image: 'b' }] } } };
    expect(changedPaths(before, after)).toEqual(['spec.replicas', 'spec.template.containers[0].image']);
    expect(changedPaths(before, structuredClone(before))).toEqual([]);
  });
});

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { changedPaths } from '../../../src/deploy/apply.js';
import {
  type Manifest,
  orderForApply,
  pointAt,
  renderDeployOverlay,
  renderForDeploy,
  renderingNote,
  requiredSecrets,
} from '../../../src/deploy/manifests.js';
import { UsageError } from '../../../src/errors.js';
import { inCI } from '../../helpers/testbed.js';
import { kubectlAvailable } from '../check/helpers.js';

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

describe('the renderer deploy and undeploy use', () => {
  // Under CI=true this runs, and fails when kubectl is missing; only outside CI may it skip.
  it.runIf(inCI || kubectlAvailable())('is real kustomize when kubectl is on PATH', async () => {
    for (const overlay of ['local', 'production']) {
      const rendered = await renderDeployOverlay(model, overlay);
      expect(rendered.renderedBy).toBe('kubectl kustomize');
      expect(renderingNote(rendered)).toBe('rendered with kubectl kustomize');
      const request = { model, overlay, namespace: 'shop', image: 'inventory-api:0.1.0' };
      const byKey = (objects: Manifest[]) =>
        objects.map((o) => `${o.kind}/${o.metadata?.name}/${o.metadata?.namespace}`).sort();
      expect(byKey(pointAt(request, rendered.objects))).toEqual(byKey(renderForDeploy(request)));
    }
  });

  it('falls back to the built-in subset without kubectl, and says so', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const rendered = await renderDeployOverlay(model, 'local');
      expect(renderingNote(rendered)).toBe('rendered with the built-in Kustomize subset: kubectl not found');
      const request = { model, overlay: 'local', namespace: 'shop', image: 'inventory-api:0.1.0' };
      expect(pointAt(request, rendered.objects)).toEqual(renderForDeploy(request));
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses an overlay that does not exist before running any renderer', async () => {
    await expect(renderDeployOverlay(model, 'staging')).rejects.toThrow(/no overlay "staging"/);
  });
});

describe('pointAt with a migration Job', () => {
  it('runs the deployed image in the migration Job too, and leaves other Jobs alone', async () => {
    const { migrationJobName } = await import('../../../src/generate/k8s/migration.js');
    const { resourceName } = await import('../../../src/generate/index.js');
    const fullStack = await analyzeProject(
      join(import.meta.dirname, '..', '..', 'fixtures', 'projects', 'services-full-stack'),
    );
    const pod = (name: string, image: string) => ({ spec: { containers: [{ name, image }] } });
    const rendered: Manifest[] = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: resourceName(fullStack) },
        spec: { template: pod(resourceName(fullStack), 'old:1') },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: migrationJobName(fullStack) },
        spec: { template: pod('migrate', 'old:1') },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'nightly-report' },
        spec: { template: pod('report', 'report:3') },
      },
    ] as Manifest[];
    const out = pointAt(
      { model: fullStack, overlay: 'local', namespace: 'shop', image: 'shelf:2-abc' },
      rendered,
    );
    type Pod = { template: { spec: { containers: { image: string }[] } } };
    const image = (name: string) =>
      ((out.find((o) => o.metadata?.name === name)?.spec ?? {}) as Pod).template?.spec.containers[0]?.image;
    expect(image(migrationJobName(fullStack))).toBe('shelf:2-abc');
    expect(image(resourceName(fullStack))).toBe('shelf:2-abc');
    expect(image('nightly-report')).toBe('report:3');
  });
});

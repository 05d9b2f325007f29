import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { chartDir, helmChart } from '../../../src/generate/helm/index.js';
import { generateFiles, resourceName } from '../../../src/generate/index.js';
import { inCI } from '../../helpers/testbed.js';
import { findHelm, type KubeObject, objectsByName, requireHelm, run, writeTree } from './helm-tool.js';
import { cases, model } from './models.js';

/**
 * Every project shape's chart through real helm: `helm lint --strict` passes, and `helm template`
 * with the default values gives exactly the objects of the Kustomize base (which is plain YAML, so
 * the base's objects are its files, plus the namespace its kustomization sets). Under CI=true a
 * missing helm is a failure (.ci/run builds it with scripts/testbed/helm.sh).
 */
const helmHere = inCI || findHelm() !== undefined;

function baseObjects(project: ProjectModel): Map<string, KubeObject> {
  const namespace = project.config.kubernetes.namespace;
  const texts = Object.entries(generateFiles(project))
    .filter(([path]) => /^deploy\/k8s\/base\/[^/]+\.yaml$/.test(path) && !path.endsWith('kustomization.yaml'))
    .map(([, text]) => {
      const object = parse(text) as KubeObject;
      if (namespace) object.metadata = { ...object.metadata, namespace };
      return `---\n${JSON.stringify(object)}\n`;
    });
  return objectsByName(texts.join(''));
}

function render(project: ProjectModel, args: readonly string[] = []): Map<string, KubeObject> {
  const helm = requireHelm();
  const chart = join(writeTree(helmChart(project)), chartDir(project));
  const lint = run(helm, ['lint', '--strict', chart, ...args]);
  expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  const rendered = run(helm, ['template', resourceName(project), chart, ...args]);
  expect(rendered.status, rendered.stderr).toBe(0);
  return objectsByName(rendered.stdout);
}

const withNamespace = model({
  config: { kubernetes: { ...model().config.kubernetes, namespace: 'shop-prod' } },
});

const withMigration = model({
  migrations: {
    command: ['alembic', 'upgrade', 'head'],
    source: 'alembic',
    why: 'alembic.ini',
    files: ['alembic.ini'],
  },
});

describe.runIf(helmHere)('the chart under real helm', () => {
  it.each(Object.entries({ ...cases, 'with-namespace': withNamespace, 'with-migration': withMigration }))(
    '%s: lints and renders the Kustomize base with the default values',
    (_, project) => {
      const rendered = render(project);
      const base = baseObjects(project);
      expect([...rendered.keys()].sort()).toEqual([...base.keys()].sort());
      for (const [key, object] of base) expect(rendered.get(key), key).toEqual(object);
    },
    60_000,
  );

  it('follows the values: replicas (0 too), namespace, image, settings as strings, Secret name', () => {
    const project = cases['src-layout'] as ProjectModel;
    const rendered = render(project, [
      '--set',
      'replicas=0,namespace=staging,image.repository=registry.example/shop,image.tag=2.0.1',
      '--set',
      'settings.SHOP_WORKERS=8000,settings.SHOP_DEBUG=true,secret.name=shop-vault',
    ]);
    const deployment = rendered.get('Deployment/shop') as unknown as {
      metadata: { namespace: string };
      spec: {
        replicas: number;
        template: {
          spec: { containers: { image: string; env: { valueFrom: { secretKeyRef: { name: string } } }[] }[] };
        };
      };
    };
    expect(deployment.spec.replicas).toBe(0);
    expect(deployment.metadata.namespace).toBe('staging');
    const container = deployment.spec.template.spec.containers[0];
    expect(container?.image).toBe('registry.example/shop:2.0.1');
    expect(container?.env.map((e) => e.valueFrom.secretKeyRef.name)).toEqual(['shop-vault', 'shop-vault']);
    const configMap = rendered.get('ConfigMap/shop-config') as unknown as { data: Record<string, unknown> };
    // --set makes 8000 an int and true a boolean: the ConfigMap still gets strings.
    expect(configMap.data).toEqual({ SHOP_DEBUG: 'true', SHOP_LOG_LEVEL: 'info', SHOP_WORKERS: '8000' });
    for (const object of rendered.values()) expect(object.metadata.namespace).toBe('staging');
  }, 60_000);

  it('runs the migration Job on the image the values name, as a new Job per tag', () => {
    const rendered = render(withMigration, [
      '--set-string',
      'image.repository=127.0.0.1:5000/shop,image.tag=2.0.1_RC1,secret.name=shop-vault',
    ]);
    const jobs = [...rendered.values()].filter((object) => object.kind === 'Job');
    expect(jobs.map((job) => job.metadata.name)).toEqual(['shop-migrate-2-0-1-rc1']);
    const container = (
      jobs[0] as unknown as {
        spec: {
          template: {
            spec: {
              containers: { image: string; env?: { valueFrom: { secretKeyRef: { name: string } } }[] }[];
            };
          };
        };
      }
    ).spec.template.spec.containers[0];
    expect(container?.image).toBe('127.0.0.1:5000/shop:2.0.1_RC1');
    expect(container?.env?.map((e) => e.valueFrom.secretKeyRef.name)).toEqual(['shop-vault', 'shop-vault']);
    // The Deployment runs the same image.
    const deployment = rendered.get('Deployment/shop') as unknown as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(deployment.spec.template.spec.containers[0]?.image).toBe(container?.image);
  }, 60_000);

  it('renders an empty settings map as data: {} and a chart without replicas as no field', () => {
    const project = cases['workspace-member'] as ProjectModel;
    const rendered = render(project);
    const configMap = [...rendered.values()].find((object) => object.kind === 'ConfigMap');
    expect(configMap?.data).toEqual({});
    const deployment = [...rendered.values()].find((object) => object.kind === 'Deployment') as unknown as {
      spec: Record<string, unknown>;
    };
    expect('replicas' in deployment.spec).toBe(false);
  }, 60_000);
});

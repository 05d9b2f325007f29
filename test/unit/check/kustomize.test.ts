import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkProject } from '../../../src/check/project.js';
import { ProjectError } from '../../../src/errors.js';
import { renderKustomization } from '../../../src/kube/kustomize/render.js';
import { entryPoints } from '../../../src/kube/kustomize/tree.js';
import { exec } from '../../../src/util/exec.js';
import { inCI } from '../../helpers/testbed.js';
import { fixturesRoot, kubectlAvailable } from './helpers.js';

const project = join(fixturesRoot, 'kustomize');
const overlay = join(project, 'overlays', 'prod');

describe('Kustomize overlays', () => {
  it('are found as the kustomizations nothing else includes', () => {
    expect(entryPoints(project)).toEqual([overlay]);
  });

  it('render patches, images, namespace, labels and replicas', () => {
    const objects = renderKustomization(overlay);
    interface Container {
      image: string;
      imagePullPolicy: string;
      livenessProbe: { httpGet: { path: string } };
      resources: { limits: { memory: string } };
      ports: unknown[];
    }
    const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
      metadata: { namespace: string };
      spec: {
        replicas: number;
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
      };
    };
    expect(deployment.metadata.namespace).toBe('shop-prod');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.metadata.labels.team).toBe('payments');
    expect(deployment.spec.selector.matchLabels.team).toBeUndefined();
    const [container] = deployment.spec.template.spec.containers;
    // Merged by name: the base's fields stay, the patch's are added or replace.
    expect(container?.image).toBe('shop:latest');
    expect(container?.imagePullPolicy).toBe('Always');
    expect(container?.livenessProbe.httpGet.path).toBe('/readyz');
    expect(container?.resources.limits.memory).toBe('256Mi');
    expect(container?.ports).toHaveLength(1);
  });

  // Under CI=true this runs, and fails when kubectl is missing; only outside CI may it skip.
  it.runIf(inCI || kubectlAvailable())('render what kubectl kustomize renders', async () => {
    const { stdout } = await exec('kubectl', ['kustomize', overlay]);
    const fromKubectl = parseAllDocuments(stdout).map((d) => d.toJS() as Record<string, unknown>);
    const sortByKind = (list: Record<string, unknown>[]) =>
      [...list].sort((a, b) => String(a.kind).localeCompare(String(b.kind)));
    expect(sortByKind(renderKustomization(overlay))).toEqual(sortByKind(fromKubectl));
  });

  it('report findings in the file and on the line that wrote the field: base or patch', async () => {
    const report = await checkProject(project, { renderer: 'builtin', manifestsDir: '.' });
    const where = (id: string) =>
      report.findings.filter((f) => f.id === id).map((f) => `${f.location?.file}:${f.location?.line}`);
    // The tag comes from `images:`; the image field itself is written in the base.
    expect(where('SLW-K017')).toEqual(['base/deployment.yaml:31']);
    // The identical liveness probe is written by the patch.
    expect(where('SLW-K015')).toEqual(['overlays/prod/deployment-patch.yaml:11']);
  });

  it('label the offline fallback when kubectl is not found, and only then', async () => {
    const path = process.env.PATH;
    try {
      process.env.PATH = '/nonexistent';
      const offline = await checkProject(project, { manifestsDir: '.' });
      expect(offline.notes).toContain(
        'overlays/prod rendered with the built-in Kustomize subset: kubectl not found',
      );
      await expect(checkProject(project, { manifestsDir: '.', renderer: 'kubectl' })).rejects.toThrow(
        /kubectl not found on PATH/,
      );
    } finally {
      process.env.PATH = path;
    }
    const chosen = await checkProject(project, { manifestsDir: '.', renderer: 'builtin' });
    expect(chosen.notes ?? []).not.toContainEqual(expect.stringMatching(/rendered with/));
  });

  it('refuse a feature the built-in renderer does not implement, naming it', () => {
    expect(() => renderKustomization(join(fixturesRoot, 'kustomize-unsupported'))).toThrow(ProjectError);
    expect(() => renderKustomization(join(fixturesRoot, 'kustomize-unsupported'))).toThrow(
      /configMapGenerator/,
    );
  });
});

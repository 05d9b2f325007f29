import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../../src/generate/index.js';
import { cases } from './models.js';

// Golden output per project shape. A change here is a change users see in their generated files:
// review the snapshot diff, then update with `vitest run -u`.
describe.each(Object.entries(cases))('generateFiles: %s', (name, model) => {
  const files = generateFiles(model);

  it('matches the golden files', async () => {
    for (const [path, content] of Object.entries(files)) {
      await expect(content).toMatchFileSnapshot(`__snapshots__/${name}/${path}`);
    }
  });

  it('is stable: same model, same bytes, paths sorted', () => {
    expect(generateFiles(model)).toEqual(files);
    const paths = Object.keys(files);
    expect(paths).toEqual([...paths].sort());
    for (const content of Object.values(files)) expect(content.endsWith('\n')).toBe(true);
  });
});

describe('generateFiles', () => {
  it('writes the whole Kustomize tree and the image files', () => {
    expect(Object.keys(generateFiles(cases['src-layout'] ?? fail()))).toEqual([
      '.dockerignore',
      'Dockerfile',
      'deploy/k8s/base/configmap.yaml',
      'deploy/k8s/base/deployment.yaml',
      'deploy/k8s/base/kustomization.yaml',
      'deploy/k8s/base/networkpolicy.yaml',
      'deploy/k8s/base/pdb.yaml',
      'deploy/k8s/base/secret.example.env',
      'deploy/k8s/base/service.yaml',
      'deploy/k8s/overlays/local/deployment-patch.yaml',
      'deploy/k8s/overlays/local/kustomization.yaml',
      'deploy/k8s/overlays/production/deployment-patch.yaml',
      'deploy/k8s/overlays/production/hpa.yaml',
      'deploy/k8s/overlays/production/kustomization.yaml',
    ]);
  });

  it('gives a workspace member a per-Dockerfile ignore file, not the workspace root .dockerignore', () => {
    const paths = Object.keys(generateFiles(cases['workspace-member'] ?? fail()));
    expect(paths).toContain('Dockerfile.dockerignore');
    expect(paths).not.toContain('.dockerignore');
  });
});

function fail(): never {
  throw new Error('missing test case');
}

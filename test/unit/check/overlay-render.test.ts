import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import { renderForDeploy, renderOverlayForDeploy } from '../../../src/deploy/manifests.js';
import { EnvironmentError } from '../../../src/errors.js';
import { renderOverlay } from '../../../src/kube/kustomize/overlay.js';
import { repoRoot } from '../../helpers/cli.js';
import { inCI } from '../../helpers/testbed.js';
import { fixturesRoot, kubectlAvailable } from './helpers.js';

const overlay = join(fixturesRoot, 'kustomize', 'overlays', 'prod');
const byName = (objects: Record<string, unknown>[]) =>
  [...objects].sort((a, b) =>
    JSON.stringify([a.kind, a.metadata]).localeCompare(JSON.stringify([b.kind, b.metadata])),
  );
const byKind = (objects: Record<string, unknown>[]) =>
  [...objects].sort((a, b) => String(a.kind).localeCompare(String(b.kind)));

describe('one Kustomize for check and deploy', () => {
  it('labels the built-in renderer when it is asked for', async () => {
    const rendered = await renderOverlay(overlay, 'builtin');
    expect(rendered.renderedBy).toBe('the built-in Kustomize subset');
    expect(rendered.objects.map((o) => o.kind)).toContain('Deployment');
  });

  it('falls back to the built-in renderer, labelled, only when kubectl is not on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const rendered = await renderOverlay(overlay, 'auto');
      expect(rendered.renderedBy).toBe('the built-in Kustomize subset: kubectl not found');
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses real kustomize, when asked for, without kubectl: an environment error naming the fix', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(renderOverlay(overlay, 'kubectl')).rejects.toThrow(EnvironmentError);
      await expect(renderOverlay(overlay, 'kubectl')).rejects.toThrow(/kubectl not found on PATH/);
    } finally {
      process.env.PATH = path;
    }
  });

  // Under CI=true this runs, and fails when kubectl is missing; only outside CI may it skip.
  it.runIf(inCI || kubectlAvailable())('renders with real kustomize when kubectl is there', async () => {
    const real = await renderOverlay(overlay, 'auto');
    expect(real.renderedBy).toBe('kubectl kustomize');
    expect(byKind(real.objects)).toEqual(byKind((await renderOverlay(overlay, 'builtin')).objects));
  });

  it.runIf(inCI || kubectlAvailable())(
    'gives deploy what the built-in renderer gave it, for the reference backend',
    async () => {
      const model = await analyzeProject(join(repoRoot, 'examples', 'backend'));
      for (const overlay of ['local', 'production']) {
        const request = { model, overlay, namespace: 'shop', image: 'inventory-api:0.1.0' };
        const real = await renderOverlayForDeploy(request, 'kubectl');
        expect(real.renderedBy).toBe('kubectl kustomize');
        // The same objects; kubectl lists them in its own order, and orderForApply keeps ties.
        expect(byName(real.manifests)).toEqual(byName(renderForDeploy(request)));
      }
    },
  );
});

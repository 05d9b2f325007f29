import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { deploy } from '../../../src/commands/deploy.js';
import { undeploy } from '../../../src/commands/undeploy.js';
import { attestationNote } from '../../../src/deploy/attestations.js';
import {
  type HelmRelease,
  projectChart,
  releaseDeployment,
  releaseOf,
  releaseValues,
  renderRelease,
} from '../../../src/deploy/helm-release.js';
import { ProjectError, UsageError } from '../../../src/errors.js';
import { helmChart } from '../../../src/generate/helm/index.js';
import { withMarker } from '../../../src/generate/write.js';
import { repoRoot } from '../../helpers/cli.js';
import { inCI } from '../../helpers/testbed.js';
import { findHelm, requireHelm } from '../generate/helm-tool.js';

/**
 * The pieces of `deploy --helm` that need no cluster: which chart, which values, what helm
 * renders with them, and the attestation note of a registry push. The release itself (install,
 * upgrade, uninstall) runs on the test cluster in test/e2e/deploy-helm.test.ts.
 */
const helmHere = inCI || findHelm() !== undefined;
let project = '';
let model: ProjectModel;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'slipway-helm-release-'));
  cpSync(join(repoRoot, 'examples', 'backend'), project, {
    recursive: true,
    filter: (source) => !/[\\/](\.venv|__pycache__|\.pytest_cache)$/.test(source),
  });
  model = await analyzeProject(project);
});
afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function writeChart(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(project, path, '..'), { recursive: true });
    writeFileSync(join(project, path), withMarker(text));
  }
}

describe('the chart deploy --helm installs', () => {
  it('is missing until init --with helm writes it: the error names that command', () => {
    expect(() => projectChart(model)).toThrow(ProjectError);
    expect(() => projectChart(model)).toThrow(/--helm: no chart in .*deploy\/helm/);
    try {
      projectChart(model);
    } catch (error) {
      expect((error as ProjectError).fix).toMatch(/slipway init .* --with kustomize,helm/);
    }
  });

  it("is the project's only chart, whatever its folder is called", () => {
    writeChart({ 'deploy/helm/other/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 0.1.0\n' });
    expect(projectChart(model)).toBe(join(project, 'deploy', 'helm', 'other'));
  });

  it('is deploy/helm/<name>/ among several, and several without one named so are refused', () => {
    writeChart({ 'deploy/helm/worker/Chart.yaml': 'apiVersion: v2\nname: worker\nversion: 0.1.0\n' });
    expect(() => projectChart(model)).toThrow(/2 charts in deploy\/helm and none named inventory-api/);
    writeChart(helmChart(model));
    expect(projectChart(model)).toBe(join(project, 'deploy', 'helm', 'inventory-api'));
    rmSync(join(project, 'deploy', 'helm', 'other'), { recursive: true });
    rmSync(join(project, 'deploy', 'helm', 'worker'), { recursive: true });
  });
});

describe('the values deploy --helm sets', () => {
  const target = () => releaseOf(model, { helm: 'helm', namespace: 'shop', context: 'test' });

  it('splits the image at its tag, not at a registry port, and sets the namespace the chart opens', () => {
    writeChart(helmChart(model));
    const values = releaseValues(target(), '127.0.0.1:5000/team/inventory-api:0.1.0-0123456789ab', undefined);
    expect(values).toEqual([
      'image.repository=127.0.0.1:5000/team/inventory-api',
      'image.tag=0.1.0-0123456789ab',
      'namespace=shop',
    ]);
    expect(releaseValues(target(), 'inventory-api:1.0', 3)).toContain('replicas=3');
  });

  it('leaves out the namespace for a chart whose values have none', () => {
    const chart = join(project, 'deploy', 'helm', 'inventory-api', 'values.yaml');
    const original = readFileSync(chart, 'utf8');
    writeFileSync(chart, original.replace(/^namespace:.*$/m, ''));
    try {
      expect(releaseValues(target(), 'inventory-api:1.0', undefined)).toEqual([
        'image.repository=inventory-api',
        'image.tag=1.0',
      ]);
    } finally {
      writeFileSync(chart, original);
    }
  });
});

describe.runIf(helmHere)('what helm renders for the release', () => {
  let target: HelmRelease;
  beforeAll(() => {
    writeChart(helmChart(model));
    target = releaseOf(model, { helm: requireHelm(), namespace: 'shop', context: 'test' });
  });

  it('runs the built image in the namespace; a tag that looks like a number stays a string', async () => {
    const objects = await renderRelease(target, releaseValues(target, 'inventory-api:1.10', 2));
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
    ]);
    for (const object of objects) expect(object.metadata?.namespace).toBe('shop');
    const deployment = releaseDeployment(objects, 'inventory-api:1.10', target.shown);
    expect(deployment.metadata?.name).toBe('inventory-api');
    expect((deployment.spec as { replicas?: number }).replicas).toBe(2);
  });

  it('refuses a chart that does not run the image it was given (its image is written in the template)', async () => {
    const file = join(project, target.shown, 'templates', 'deployment.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/^(\s+image: ).*$/m, '$1"nginx:1.27"'));
    try {
      const objects = await renderRelease(target, releaseValues(target, 'inventory-api:1.10', undefined));
      expect(() => releaseDeployment(objects, 'inventory-api:1.10', target.shown)).toThrow(
        /renders Deployment\/inventory-api running another image than inventory-api:1\.10/,
      );
    } finally {
      writeFileSync(file, original);
    }
  });

  it("stops with helm's own error for a template that does not render", async () => {
    const file = join(project, target.shown, 'templates', 'broken.yaml');
    writeFileSync(file, 'kind: {{ .Values.nothing.here }}\n');
    try {
      await expect(renderRelease(target, [])).rejects.toThrow(
        /helm template deploy\/helm\/inventory-api failed: .*nil pointer/,
      );
    } finally {
      rmSync(file);
    }
  });
});

describe('the attestation note of a registry push', () => {
  it('says that --load drops them and the docker driver cannot make them, with the daemon version', () => {
    const note = attestationNote('127.0.0.1:5000/x/api:1', { kind: 'docker', serverVersion: '20.10.24' });
    expect(note).toMatch(/^no provenance or SBOM attestation attached to 127\.0\.0\.1:5000\/x\/api:1: /);
    expect(note).toMatch(
      /--load drops attestations; buildx's docker driver on Docker 20\.10\.24 cannot make them/,
    );
    expect(note).toMatch(/moby\/buildkit/);
    expect(note).toMatch(/`slipway scan 127\.0\.0\.1:5000\/x\/api:1` writes its SBOM/);
  });

  it('says podman makes none', () => {
    const note = attestationNote('api:1', { kind: 'podman', serverVersion: '4.3.1' });
    expect(note).toMatch(/podman builds make no BuildKit attestations/);
    expect(note).not.toMatch(/docker driver/);
  });
});

describe('--helm with --overlay', () => {
  it('is refused by deploy and undeploy before anything is read or changed (exit 2)', async () => {
    await expect(deploy({ path: project, helm: true, overlay: 'production' })).rejects.toThrow(UsageError);
    await expect(deploy({ path: project, helm: true, overlay: 'production' })).rejects.toThrow(
      /--overlay production with --helm: a chart has values, not overlays/,
    );
    await expect(undeploy({ path: project, helm: true, overlay: 'local' })).rejects.toThrow(
      /--overlay local with --helm/,
    );
  });
});

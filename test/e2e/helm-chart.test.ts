import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/commands/init.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { deleteNamespace, testCluster } from '../helpers/cluster.js';
import { objectsByName, requireHelm, run } from '../unit/generate/helm-tool.js';

/**
 * The chart `slipway init --with kustomize,helm` writes for the reference backend, through the real
 * tools: `helm lint --strict` passes, `helm template` with the default values renders, object by
 * object, what real `kubectl kustomize` renders of the base, and `slipway check` finds nothing in
 * the rendered objects. Runs on a temp copy: the repository's example is never written. helm and
 * kubectl are required (the test bed provides both; a missing one fails, it never skips).
 */
const example = join(repoRoot, 'examples', 'backend');
const CHART = 'deploy/helm/inventory-api';
const NAMESPACE = `slipway-helm-${process.pid}`;
let work = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'slipway-helm-e2e-'));
  await cp(example, work, {
    recursive: true,
    filter: (source) => !/[\\/](\.venv|__pycache__|\.pytest_cache)$/.test(source),
  });
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
  await deleteNamespace(await testCluster(), NAMESPACE);
});

function kubectl(): string {
  const found = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  if (!found) throw new Error('no kubectl: the test bed puts it on PATH (scripts/testbed/cluster/up.sh)');
  return 'kubectl';
}

describe('the Helm chart of the reference backend', () => {
  it('is written by `slipway init --with kustomize,helm` beside the Kustomize tree, into the copy only', async () => {
    const cli = await runCli(['init', '--with', 'kustomize,helm'], { cwd: work });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/deploy\/helm\/inventory-api\/Chart\.yaml/);
    const refused = await runCli(['init', '--with', 'kustomize,helmm'], { cwd: work });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/unknown output "helmm"/);
    const outcome = await init({ path: work, with: 'kustomize,helm' });
    expect(outcome.outputs).toEqual(['kustomize', 'helm']);
    for (const file of [
      'Chart.yaml',
      'values.yaml',
      'templates/deployment.yaml',
      'templates/configmap.yaml',
    ]) {
      expect(existsSync(join(work, CHART, file)), file).toBe(true);
    }
    expect(existsSync(join(example, 'deploy', 'helm'))).toBe(false);
    // The CLI wrote it all: a second init finds everything current.
    expect(outcome.written, outcome.written.join(', ')).toEqual([]);
    expect(outcome.upToDate).toBe(true);
  });

  it('passes helm lint --strict', () => {
    const lint = run(requireHelm(), ['lint', '--strict', join(work, CHART)]);
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders with the default values, object by object, what kubectl kustomize renders of the base', () => {
    const helm = run(requireHelm(), ['template', 'inventory-api', join(work, CHART)]);
    expect(helm.status, helm.stderr).toBe(0);
    const kustomize = run(kubectl(), ['kustomize', join(work, 'deploy', 'k8s', 'base')]);
    expect(kustomize.status, kustomize.stderr).toBe(0);
    const fromHelm = objectsByName(helm.stdout);
    const fromKustomize = objectsByName(kustomize.stdout);
    expect([...fromHelm.keys()].sort()).toEqual([
      'ConfigMap/inventory-api-config',
      'Deployment/inventory-api',
      'NetworkPolicy/inventory-api',
      'PodDisruptionBudget/inventory-api',
      'Service/inventory-api',
    ]);
    expect([...fromKustomize.keys()].sort()).toEqual([...fromHelm.keys()].sort());
    for (const [key, object] of fromKustomize) expect(fromHelm.get(key), key).toEqual(object);
  });

  it('renders objects that slipway check passes, and a hand-broken value that it fails', async () => {
    const helm = requireHelm();
    const rendered = run(helm, ['template', 'inventory-api', join(work, CHART)]);
    expect(rendered.status, rendered.stderr).toBe(0);
    const good = join(work, 'rendered.yaml');
    await writeFile(good, rendered.stdout);
    const passed = await runCli(['check', good, '--format', 'json']);
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    const report = JSON.parse(passed.stdout) as { findings: unknown[] };
    expect(report.findings).toEqual([]);

    // The same chart with its image tag set to latest: check must see the rendered change.
    const latest = run(helm, ['template', 'inventory-api', join(work, CHART), '--set', 'image.tag=latest']);
    expect(latest.status, latest.stderr).toBe(0);
    const bad = join(work, 'rendered-latest.yaml');
    await writeFile(bad, latest.stdout);
    const failed = await runCli(['check', bad, '--format', 'json']);
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/latest/);
  });

  it("is accepted by the test cluster's API server under Pod Security restricted, without a warning", async () => {
    const cluster = await testCluster();
    // enforce and warn: for a Deployment the admission only warns (it enforces on the pods).
    await cluster.core.createNamespace({
      body: {
        metadata: {
          name: NAMESPACE,
          labels: {
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
        },
      },
    });
    const rendered = run(requireHelm(), [
      'template',
      'inventory-api',
      join(work, CHART),
      '--namespace',
      NAMESPACE,
    ]);
    expect(rendered.status, rendered.stderr).toBe(0);
    const file = join(work, 'rendered-ns.yaml');
    await writeFile(file, rendered.stdout);
    const apply = run(kubectl(), ['apply', '--dry-run=server', '--namespace', NAMESPACE, '-f', file]);
    expect(apply.status, apply.stderr).toBe(0);
    expect(apply.stdout.match(/created \(server dry run\)/g)).toHaveLength(5);
    expect(apply.stderr).not.toMatch(/warning/i);

    // The same objects with a root container: the admission warns, so the check above can fail.
    await writeFile(file, rendered.stdout.replace(/runAsNonRoot: true/g, 'runAsNonRoot: false'));
    const root = run(kubectl(), ['apply', '--dry-run=server', '--namespace', NAMESPACE, '-f', file]);
    expect(root.stderr).toMatch(/would violate PodSecurity "restricted/);
  });
});

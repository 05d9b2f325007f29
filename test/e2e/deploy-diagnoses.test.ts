import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/deploy/cluster.js';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import {
  createSecret,
  deleteNamespace,
  removeFromCluster,
  restrictedNamespace,
  testCluster,
} from '../helpers/cluster.js';
import { realEngine } from '../helpers/engine.js';

// Broken deployments on the real cluster: deploy must fail (exit 1) and name the cause, quickly.
const ns = `slipway-e2e-diag-${process.pid}`;
const namedUser = `slipway-e2e/named-user:${process.pid}`;
const crashing = `slipway-e2e/crash:${process.pid}`;
const images = {
  [namedUser]: 'RUN useradd --system --uid 10002 app\nUSER app\nCMD ["python", "-m", "http.server", "8000"]',
  [crashing]:
    'USER 10001:10001\nCMD ["python", "-u", "-c", "print(\'fatal: cannot open the database\'); raise SystemExit(1)"]',
};
let cluster: Cluster;
let engine: ContainerEngine;
let project = '';

describe.sequential('slipway deploy diagnoses failures on the test cluster', () => {
  beforeAll(async () => {
    cluster = await testCluster();
    engine = await realEngine();
    for (const [tag, body] of Object.entries(images)) {
      const built = spawnSync('docker', ['build', '--quiet', '--tag', tag, '-'], {
        input: `FROM python:3.13-slim\n${body}\n`,
        encoding: 'utf8',
      });
      if (built.status !== 0) throw new Error(`docker build ${tag}: ${built.stderr}`);
    }
    // A copy of the reference backend whose pods leave the user to the image.
    project = mkdtempSync(join(tmpdir(), 'slipway-deploy-'));
    const backend = join(repoRoot, 'examples', 'backend');
    for (const entry of ['pyproject.toml', 'uv.lock', 'README.md', 'Dockerfile', '.python-version']) {
      copyFileSync(join(backend, entry), join(project, entry));
    }
    cpSync(join(backend, 'src'), join(project, 'src'), { recursive: true });
    cpSync(join(backend, 'deploy'), join(project, 'deploy'), { recursive: true });
    const overlay = join(project, 'deploy', 'k8s', 'overlays', 'local');
    copyFileSync(
      join(repoRoot, 'test', 'fixtures', 'deploy', 'no-run-as-user.yaml'),
      join(overlay, 'no-run-as-user.yaml'),
    );
    appendFileSync(join(overlay, 'kustomization.yaml'), '  - path: no-run-as-user.yaml\n');
    await restrictedNamespace(cluster, ns);
    await createSecret(cluster, ns, { INVENTORY_API_KEY: 'throwaway' });
  }, 300_000);

  afterAll(async () => {
    await deleteNamespace(cluster, ns);
    await engine?.removeImages(Object.keys(images));
    await removeFromCluster(Object.keys(images));
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('names an image user that runAsNonRoot cannot verify', async () => {
    const result = await runCli([
      'deploy',
      project,
      '--namespace',
      ns,
      '--image',
      namedUser,
      '--timeout',
      '60',
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^✗ non-numeric-user: the image runs as the named user "app"/m);
    expect(result.stdout).toContain('container has runAsNonRoot and image has non-numeric user');
    expect(result.stdout).toMatch(/fix: use a numeric user in the Dockerfile/);
  });

  it('names a crashing app, with its exit code and last log line', async () => {
    const result = await runCli([
      'deploy',
      'examples/backend',
      '--namespace',
      ns,
      '--image',
      crashing,
      '--timeout',
      '90',
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /^✗ crash-loop: container inventory-api exits with code 1 and keeps restarting/m,
    );
    expect(result.stdout).toContain('fatal: cannot open the database');
  });

  it('names a Secret key that is missing, before applying anything', async () => {
    await cluster.core.deleteNamespacedSecret({ name: 'inventory-api-secrets', namespace: ns });
    await createSecret(cluster, ns, { OTHER: 'x' });
    const result = await runCli(['deploy', 'examples/backend', '--namespace', ns, '--image', crashing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the Secret inventory-api-secrets in namespace \S+ has no key INVENTORY_API_KEY/,
    );
    expect(result.stderr).toMatch(/fix: .*kubectl create secret generic inventory-api-secrets/);
  });

  it('says how to start the cluster when it does not answer, or the context is unknown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-kubeconfig-'));
    const kubeconfig = join(dir, 'config');
    // Port 9 on loopback: nothing listens there, so the connection is refused at once.
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: gone, context: {cluster: c, user: u}}]\ncurrent-context: gone\n',
    );
    try {
      const down = await runCli(['deploy', '--example', '--kubeconfig', kubeconfig]);
      expect(down.code).toBe(2);
      expect(down.stderr).toMatch(
        /the Kubernetes API server of context "gone" \(https:\/\/127\.0\.0\.1:9\) does not answer/,
      );
      expect(down.stderr).toMatch(/fix: bash scripts\/testbed\/cluster\/up\.sh/);
      const unknown = await runCli(['deploy', '--example', '--kubeconfig', kubeconfig, '--context', 'nope']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/the kubeconfig has no context "nope"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

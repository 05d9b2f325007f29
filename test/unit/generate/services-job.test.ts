import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { analyzeProject } from '../../../src/analyze/index.js';
import { migrationJob, migrationJobName } from '../../../src/generate/k8s/migration.js';
import { selectorLabels } from '../../../src/generate/k8s/objects.js';
import { repoRoot, runCli } from '../../helpers/cli.js';

// The migration Job that goes into the Kustomize base (src/generate/k8s/migration.ts). Here beside
// the analyze tests of the services fixtures it is made from; it belongs with the generate tests.
const FULL_STACK = join(repoRoot, 'test', 'fixtures', 'projects', 'services-full-stack');

interface Job {
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    template: {
      metadata: { labels: Record<string, string> };
      spec: { securityContext?: unknown; containers: Record<string, unknown>[] };
    };
  };
}

describe('the migration Job', () => {
  it("runs the project's migration with the app's image, settings and restrictions, outside the app's selector", async () => {
    const model = await analyzeProject(FULL_STACK);
    const job = parse(migrationJob(model) ?? '') as Job;
    expect(job.metadata.name).toBe('shelf-backend-migrate-0-2-0');
    expect(migrationJobName({ ...model, version: '1.0.0+local.7' })).toBe(
      'shelf-backend-migrate-1-0-0-local-7',
    );
    const container = job.spec.template.spec.containers[0];
    expect(container).toMatchObject({
      image: 'shelf-backend:0.2.0',
      command: ['bash'],
      args: ['scripts/prestart.sh'],
      envFrom: [{ configMapRef: { name: 'shelf-backend-config' } }],
      securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    });
    expect(container?.env).toEqual([
      {
        name: 'POSTGRES_PASSWORD',
        valueFrom: {
          secretKeyRef: { name: 'shelf-backend-secrets', key: 'POSTGRES_PASSWORD', optional: true },
        },
      },
    ]);
    // The Service, PDB and NetworkPolicy select the app's pods by these: a migration pod is none of them.
    const selector = selectorLabels(model);
    const podLabels = job.spec.template.metadata.labels;
    expect(Object.entries(selector).every(([key, value]) => podLabels[key] === value)).toBe(false);
    expect(podLabels['app.kubernetes.io/component']).toBe('migration');
    expect(podLabels['app.kubernetes.io/instance']).toBe('shelf-backend');
  });

  it('is absent for a project without migrations', async () => {
    const model = await analyzeProject(join(repoRoot, 'test', 'fixtures', 'projects', 'services-lifespan'));
    expect(migrationJob(model)).toBeUndefined();
  });

  it('passes slipway check (Pod Security restricted), and a copy without its securityContext does not', async () => {
    const model = await analyzeProject(FULL_STACK);
    const text = migrationJob(model) ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'slipway-job-'));
    writeFileSync(join(dir, 'migration.yaml'), text);
    const good = await runCli(['check', join(dir, 'migration.yaml')]);
    expect(good.stdout).toMatch(/^No findings: \d+ rules over 1 file\.$/m);
    expect(good.code).toBe(0);

    const bad = parse(text) as Job;
    delete bad.spec.template.spec.securityContext;
    delete bad.spec.template.spec.containers[0]?.securityContext;
    writeFileSync(join(dir, 'bad.yaml'), stringify(bad));
    const failed = await runCli(['check', join(dir, 'bad.yaml')]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/runAsNonRoot|allowPrivilegeEscalation|capabilities/);
  });
});

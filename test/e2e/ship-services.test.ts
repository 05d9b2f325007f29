import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyzeProject } from '../../src/analyze/index.js';
import type { ProjectModel } from '../../src/analyze/model.js';
import { ContainerdLoader, findCtr } from '../../src/deploy/containerd.js';
import { waitForMigration } from '../../src/deploy/migration.js';
import { migrationJob } from '../../src/generate/k8s/migration.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import {
  deleteNamespace,
  removeFromCluster,
  restrictedNamespace,
  TESTBED_SOCKET,
  testCluster,
} from '../helpers/cluster.js';
import { realEngine } from '../helpers/engine.js';

// Real apps that need a database to start: slipway ship on a temp copy of each fixture starts
// postgres:17 / redis:7 (the test bed's stand-ins, scripts/testbed/services.sh) on a private
// network, runs the migration, proves the app, and leaves nothing behind.

function copy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `slipway-${name}-`));
  cpSync(join(repoRoot, 'test', 'fixtures', 'projects', name), dir, { recursive: true });
  return dir;
}

/** Networks and containers slipway verify made (names slipway-verify-*), to see that none is left. */
async function verifyLeftovers(): Promise<Set<string>> {
  const engine = await realEngine();
  const networks = await engine.networksWithLabel('io.slipway.owner=slipway');
  const containers = await engine.containersWithLabel('io.slipway.owner=slipway');
  return new Set([...networks.map((n) => `network ${n}`), ...containers.map((c) => `container ${c}`)]);
}

async function shipped(dir: string) {
  const before = await verifyLeftovers();
  const started = Date.now();
  const result = await runCli(['ship'], { cwd: dir });
  const wallMs = Date.now() - started;
  const after = await verifyLeftovers();
  const left = [...after].filter((item) => !before.has(item));
  return { ...result, wallMs, left };
}

describe('slipway ship with companion services', () => {
  it('full-stack shape: postgres from settings and compose, the prestart migration, then the app on /api/v1', async () => {
    const dir = copy('services-full-stack');
    const result = await shipped(dir);
    console.log(`ship services-full-stack: exit ${result.code} in ${(result.wallMs / 1000).toFixed(1)} s`);
    expect(result.stdout).toMatch(/^✓ verify\.services .*$/m);
    expect(result.stdout).toMatch(/^✓ verify\.migrate .*$/m);
    expect(result.stdout).toMatch(/^✓ verify\.starts .*$/m);
    expect(result.stdout).toMatch(/^✓ verify\.answers .*$/m);
    expect(result.stdout).toMatch(/^✓ verify\.routes .*$/m);
    expect(result.stdout).toMatch(/^shipped shelf-backend:0\.2\.0 in .*: every stage passed$/m);
    expect(result.code).toBe(0);
    expect(result.left).toEqual([]);

    // The same image verified on its own, as JSON: what ran, against what, and no password in it.
    const json = await runCli(['verify', '--json'], { cwd: dir });
    const report = JSON.parse(json.stdout) as {
      results: { id: string; status: string; message: string; evidence?: string[] }[];
    };
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get('verify.services')?.message).toMatch(/^postgres:17 healthy within \d+\.\d\d s$/);
    expect(byId.get('verify.services')?.evidence?.join('\n')).toMatch(
      /postgres:17 at postgres:5432 \(user slipway, database slipway\): healthy after .*\n.*pg_isready -q -h 127\.0\.0\.1/,
    );
    expect(byId.get('verify.migrate')?.evidence?.join('\n')).toMatch(
      /\$ bash scripts\/prestart\.sh .*\n.*exit 0[\s\S]*alembic upgrade head[\s\S]*Running upgrade {2}-> 4c1f2a9e7b10, create item table/,
    );
    expect(byId.get('verify.starts')?.status).toBe('pass');
    // The random password went to the app and the database through env-files only.
    expect(json.stdout).not.toMatch(/slipway:[0-9a-f]{36}@/);
    expect(json.stdout).not.toMatch(/POSTGRES_PASSWORD=/);
  });

  it('lifespan shape: postgres and redis opened before the app serves', async () => {
    const dir = copy('services-lifespan');
    const result = await shipped(dir);
    console.log(`ship services-lifespan: exit ${result.code} in ${(result.wallMs / 1000).toFixed(1)} s`);
    expect(result.stdout).toMatch(/^✓ verify\.services .*$/m);
    expect(result.stdout).not.toMatch(/verify\.migrate/);
    expect(result.stdout).toMatch(/^shipped tally:1\.1\.0 in .*: every stage passed$/m);
    expect(result.code).toBe(0);
    expect(result.left).toEqual([]);
  });

  it('fails with a clear verdict when the app reaches for a database that is not there', async () => {
    const dir = copy('services-lifespan');
    const main = join(dir, 'src', 'tally', 'main.py');
    // The app ignores the address it is given and connects to a host of its own.
    writeFileSync(
      main,
      readFileSync(main, 'utf8').replace(
        'str(settings.database_url)',
        '"postgresql://tally:tally@db.internal:5432/tally"',
      ),
    );
    const result = await shipped(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✓ verify\.services .*$/m);
    expect(result.stdout).toMatch(
      /^✗ verify\.starts .*\n {4}it crashed during startup: it could not reach its database or cache \(.*(db\.internal|Name or service not known|gaierror).*\)$/m,
    );
    expect(result.stdout).toMatch(
      /hint: verify started postgres:17 and redis:7 and gave their addresses through TALLY_DATABASE_URL, TALLY_REDIS_URL, yet the app connected elsewhere/,
    );
    expect(result.stdout).toMatch(/^not shipped: verify failed$/m);
    expect(result.left).toEqual([]);
  });

  it("fails verify.migrate with alembic's own words when a migration is broken", async () => {
    const dir = copy('services-full-stack');
    appendFileSync(
      join(dir, 'app', 'alembic', 'versions', '9d0e1f2a3b4c_add_owner.py'),
      'revision = "9d0e1f2a3b4c"\ndown_revision = "0000deadbeef"\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n',
    );
    const result = await shipped(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^✗ verify\.migrate .*\n {4}`bash scripts\/prestart\.sh` exited [1-9]\d*$/m,
    );
    expect(result.stdout).toMatch(/0000deadbeef/);
    expect(result.stdout).toMatch(
      /^- verify\.starts .*\n {4}skipped: the app was not started: the migration/m,
    );
    expect(result.left).toEqual([]);
  });
});

describe('verify with services, interrupted', () => {
  it('removes the services, the app and the network on Ctrl-C while the database starts', async () => {
    const dir = copy('services-full-stack');
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    const build = await runCli(['build'], { cwd: dir });
    expect(build.code, build.stdout + build.stderr).toBe(0);
    const before = await verifyLeftovers();
    const engine = await realEngine();
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'slipway.js'), 'verify'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    // Interrupt once the run's network and its postgres container exist.
    const deadline = Date.now() + 60_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      const networks = (await engine.networksWithLabel('io.slipway.owner=slipway')).filter(
        (n) => !before.has(`network ${n}`),
      );
      const containers = (await engine.containersWithLabel('io.slipway.owner=slipway')).filter(
        (c) => !before.has(`container ${c}`),
      );
      if (networks.length > 0 && containers.length > 0) {
        seen = [...networks, ...containers];
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen.length, output).toBeGreaterThan(1);
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const { code, signal } = await exited;
    const exitMs = Date.now() - interruptedAt;
    console.log(`verify interrupted during the services' start: ${signal ?? code} after ${exitMs} ms`);
    // Cleanup done, the runner passes the signal on: the process ends the way it was asked to.
    expect({ code, signal }, output).toEqual({ code: null, signal: 'SIGINT' });
    const left = [...(await verifyLeftovers())].filter((item) => !before.has(item));
    expect(left).toEqual([]);
    expect(exitMs).toBeLessThan(15_000);
  });
});

// The generated migration Job on the real cluster, in a namespace that enforces Pod Security
// "restricted": admitted as written, waited for, and its failure reported with its own log.
describe('the migration Job and the wait for it (test cluster)', () => {
  const namespace = `slipway-migrate-${process.pid}`;
  const image = `slipway-migration-e2e-${process.pid}`;
  let created = false;

  afterAll(async () => {
    const cluster = await testCluster();
    if (created) await deleteNamespace(cluster, namespace);
    await removeFromCluster([`${image}:1.0.0`, `${image}:2.0.0`]);
    await (await realEngine()).removeImages([`${image}:1.0.0`, `${image}:2.0.0`]);
  });

  /** The lifespan fixture's model with a migration that needs no database, on a loaded image. */
  async function jobFor(version: string, command: string[]): Promise<KubernetesObject> {
    const model = await analyzeProject(join(repoRoot, 'test', 'fixtures', 'projects', 'services-lifespan'));
    const changed: ProjectModel = {
      ...model,
      version,
      settings: { classes: [], env: [] },
      config: { ...model.config, image: { ...model.config.image, name: image } },
      migrations: { command, source: 'slipway-config', why: '[tool.slipway] migrate', files: [] },
    };
    const engine = await realEngine();
    await engine.tag('python:3.13-slim', `${image}:${version}`);
    const ctr = await findCtr();
    if (!ctr) throw new Error('ctr not found: the test cluster (scripts/testbed/cluster/up.sh) provides it');
    expect((await new ContainerdLoader(TESTBED_SOCKET, ctr).load(`${image}:${version}`, engine)).loaded).toBe(
      true,
    );
    const job = parse(migrationJob(changed) ?? '') as KubernetesObject & { spec: { backoffLimit: number } };
    // One try in the test: the controller's back-off between retries would only add minutes.
    job.spec.backoffLimit = 0;
    return { ...job, metadata: { ...job.metadata, namespace } };
  }

  it('runs once, under restricted Pod Security; deploy waits for it, then sees its failure with its log', async () => {
    const cluster = await testCluster();
    await restrictedNamespace(cluster, namespace);
    created = true;
    await cluster.objects.create(await jobFor('1.0.0', ['python', '-c', 'print("migrated to head")']));
    const ok = await waitForMigration(cluster, namespace, 'tally', { timeoutMs: 180_000 });
    expect(ok).toMatchObject({ job: 'tally-migrate-1-0-0', ok: true, diagnosis: undefined });

    await cluster.objects.create(
      await jobFor('2.0.0', [
        'python',
        '-c',
        'import sys; print("relation item already exists"); sys.exit(3)',
      ]),
    );
    const failed = await waitForMigration(cluster, namespace, 'tally', { timeoutMs: 180_000 });
    expect(failed?.job).toBe('tally-migrate-2-0-0');
    expect(failed?.ok).toBe(false);
    expect(failed?.diagnosis?.kind).toBe('migration-failed');
    expect(failed?.diagnosis?.summary).toMatch(/^the migration Job tally-migrate-2-0-0 failed/);
    expect(failed?.diagnosis?.details.join('\n')).toMatch(/relation item already exists/);
    expect(failed?.diagnosis?.terminal).toBe(true);
  });
});

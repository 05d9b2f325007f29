import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { renderChecklist } from '../../src/report/checklist.js';
import { renderJunit } from '../../src/report/junit.js';
import { verifyImage } from '../../src/verify/runner.js';
import { RUN_LABEL } from '../../src/verify/session.js';
import { defaultTarget, targetFromModel } from '../../src/verify/target.js';
import { repoRoot } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

/**
 * The reference backend, built with the small smoke Dockerfile until the generated one lands, and
 * verified with a target written by hand the way targetFromModel derives it from the ProjectModel.
 * That Dockerfile has no HEALTHCHECK, so verify.healthcheck is the one expected failure. The
 * generated Dockerfile (examples/backend/Dockerfile) with the target derived from analyze must pass all.
 */
const INVENTORY_TARGET = defaultTarget({
  health: { liveness: '/healthz', readiness: '/readyz' },
  appModule: 'inventory_api.main',
  settings: [
    {
      importPath: 'inventory_api.settings:Settings',
      vars: [
        { name: 'INVENTORY_APP_NAME', field: 'app_name', type: 'str', secret: false, required: false },
        // LogLevel is a Literal alias verify cannot see through: the value is given by hand.
        {
          name: 'INVENTORY_LOG_LEVEL',
          field: 'log_level',
          type: 'LogLevel',
          secret: false,
          required: false,
          value: 'warning',
        },
        {
          name: 'INVENTORY_DATABASE_PATH',
          field: 'database_path',
          type: 'Path',
          secret: false,
          required: false,
        },
        { name: 'INVENTORY_API_KEY', field: 'api_key', type: 'SecretStr', secret: true, required: true },
      ],
    },
  ],
  startDeadlineSeconds: 30,
  healthDeadlineSeconds: 30,
});

/** Checks that depend on what only the generated Dockerfile adds. */
const NEEDS_GENERATED_DOCKERFILE = ['verify.healthcheck'];

describe('verify on the reference backend', () => {
  let engine: ContainerEngine;
  const tag = `slipway-test/inventory-api:${process.pid}`;
  const generatedTag = `slipway-test/inventory-api-generated:${process.pid}`;
  const backend = join(repoRoot, 'examples', 'backend');

  beforeAll(async () => {
    engine = await realEngine();
    await engine.build({
      context: join(repoRoot, 'examples', 'backend'),
      dockerfile: join(repoRoot, 'test', 'fixtures', 'smoke', 'Dockerfile'),
      tags: [tag],
    });
  });

  afterAll(async () => {
    if (engine) await engine.removeImages([tag, generatedTag]);
  });

  it('passes every check except those that need the generated Dockerfile', async () => {
    const report = await verifyImage({ engine, image: tag, target: INVENTORY_TARGET });
    process.stderr.write(
      `\n${renderChecklist(report.results, { color: false, verbose: true, durationMs: report.durationMs })}`,
    );
    const failed = report.results.filter((result) => result.status === 'fail').map((result) => result.id);
    expect(failed).toEqual(NEEDS_GENERATED_DOCKERFILE);
    expect(report.results.filter((result) => result.status === 'skip')).toEqual([]);

    const env = report.results.find((result) => result.id === 'verify.env-secrets');
    expect(env?.evidence?.filter((line) => line.startsWith('ok '))).toHaveLength(4);
    const graceful = report.results.find((result) => result.id === 'verify.graceful-shutdown');
    expect(graceful?.evidence?.join('\n')).toMatch(/Application shutdown complete/);

    const junit = renderJunit(report.results, { suiteName: 'slipway verify', durationMs: report.durationMs });
    expect(junit).toContain('tests="10" failures="1"');
    expect(JSON.stringify(report)).not.toMatch(/slipway-verify-[0-9a-f]{48}/);
    expect(report.leftovers).toEqual([]);
    expect(await engine.containersWithLabel(`${RUN_LABEL}=${report.runId}`)).toEqual([]);
  });

  it('passes every check on the generated Dockerfile with the target derived by analyze', async () => {
    await engine.build({ context: backend, tags: [generatedTag] });
    const target = targetFromModel(await analyzeProject(backend));
    process.stderr.write(`\ntarget: ${JSON.stringify(target)}\n`);
    const report = await verifyImage({ engine, image: generatedTag, target });
    process.stderr.write(
      `\n${renderChecklist(report.results, { color: false, verbose: true, durationMs: report.durationMs })}`,
    );
    expect(
      report.results.filter((result) => result.status !== 'pass').map((r) => `${r.id}: ${r.message}`),
    ).toEqual([]);
    expect(await engine.containersWithLabel(`${RUN_LABEL}=${report.runId}`)).toEqual([]);
  });
});

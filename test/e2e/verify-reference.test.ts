import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { renderChecklist } from '../../src/report/checklist.js';
import { renderJunit } from '../../src/report/junit.js';
import { scanCheck } from '../../src/verify/checks/scan.js';
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

  const cutsTag = `slipway-test/cuts-in-flight:${process.pid}`;
  afterAll(async () => {
    if (engine) await engine.removeImages([tag, generatedTag, cutsTag]);
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
    // Values go to what must be given (the secret, the hand-given level); settings with defaults
    // keep them, so that a default the app routes or connects by is not replaced.
    expect(env?.evidence?.filter((line) => line.startsWith('ok '))).toHaveLength(2);
    const graceful = report.results.find((result) => result.id === 'verify.graceful-shutdown');
    // The launcher's slow route on the real FastAPI app: held in flight across SIGTERM, then 200.
    expect(graceful?.evidence?.join('\n')).toMatch(
      /GET \/__slipway__\/slow: in flight inside the app when SIGTERM was sent; answer: 200 [\s\S]*lifespan shutdown: slipway-launcher: lifespan shutdown complete/,
    );

    const junit = renderJunit(report.results, { suiteName: 'slipway verify', durationMs: report.durationMs });
    expect(junit).toContain('tests="11" failures="1"');
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

  it('fails graceful shutdown when uvicorn cuts the request in flight and still exits 0', async () => {
    const fixture = join(repoRoot, 'test', 'fixtures', 'images', 'cuts-in-flight');
    await engine.build({ context: fixture, tags: [cutsTag], buildArgs: { BASE: tag } });
    const report = await verifyImage({
      engine,
      image: cutsTag,
      target: INVENTORY_TARGET,
      only: ['verify.starts', 'verify.graceful-shutdown'],
    });
    const graceful = report.results.find((result) => result.id === 'verify.graceful-shutdown');
    process.stderr.write(`\ncuts-in-flight: ${graceful?.message}\n  ${graceful?.evidence?.join('\n  ')}\n`);
    expect(graceful?.status).toBe('fail');
    expect(graceful?.message).toMatch(/^the request in flight at SIGTERM was not answered 200/);
    expect(graceful?.evidence?.join('\n')).toMatch(/SIGTERM → exit code 0 after/);
    expect(graceful?.evidence?.join('\n')).toMatch(
      /lifespan shutdown: slipway-launcher: lifespan shutdown complete/,
    );
    expect(await engine.containersWithLabel(`${RUN_LABEL}=${report.runId}`)).toEqual([]);
  });

  it('verify.scan: a skip without vulnerability data, a fail on a CVSS v4-only critical record', async () => {
    const osv = join(repoRoot, 'test', 'fixtures', 'images', 'osv');
    const scan = async (check: ReturnType<typeof scanCheck>) => {
      const report = await verifyImage({
        engine,
        image: tag,
        target: INVENTORY_TARGET,
        extraChecks: [check],
        only: ['verify.scan'],
      });
      return report.results[0];
    };
    const without = await scan(scanCheck());
    expect(without?.status).toBe('skip');
    expect(without?.message).toMatch(/^no vulnerability data given/);
    const withData = await scan(scanCheck({ osv }));
    process.stderr.write(
      `\nverify.scan with ${osv}: ${withData?.message}\n  ${withData?.evidence?.join('\n  ')}\n`,
    );
    expect(withData?.status).toBe('fail');
    expect(withData?.evidence?.join('\n')).toMatch(/critical: scan\.vuln\.SLIPWAY-TEST-V4-ONLY/);
  });
});

import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../src/engines/engine.js';
import type { Result } from '../../src/result.js';
import { exec } from '../../src/util/exec.js';
import {
  type SignalHost,
  VerifyInterruptedError,
  type VerifyReport,
  verifyImage,
} from '../../src/verify/runner.js';
import { RUN_LABEL } from '../../src/verify/session.js';
import { defaultTarget, type VerifyTarget } from '../../src/verify/target.js';
import { repoRoot } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'images');
const tag = (name: string) => `slipway-test/${name}:${process.pid}`;

/** Each deliberately bad image and the one check it must fail; every other check passes or skips. */
const BAD: Readonly<Record<string, string>> = {
  'root-user': 'verify.non-root',
  'named-user': 'verify.non-root',
  'over-budget': 'verify.size',
  'uv-left': 'verify.no-build-tools',
  'never-binds': 'verify.starts',
  crashes: 'verify.starts',
  'ignores-sigterm': 'verify.graceful-shutdown',
  'drops-in-flight': 'verify.graceful-shutdown',
  'writes-code': 'verify.restricted',
  'ignores-env': 'verify.env-secrets',
};

/** What the evidence of each failure must show, so that a failure for the wrong reason is caught. */
const EVIDENCE: Readonly<Record<string, RegExp>> = {
  'root-user': /sets no USER/,
  'named-user': /User "app" is a name/,
  'over-budget': /\d{3}\.\d MB is over the 300 MB budget by \d+\.\d MB[\s\S]*layer 200\.0 MB: RUN/,
  'uv-left':
    /^(?=[\s\S]*build tool: \/usr\/local\/bin\/uv \(44\.\d MB\))(?=[\s\S]*uv cache: \/root\/\.cache\/uv)/,
  'never-binds': /never listened on port 8000 within 10 s[\s\S]*time-to-listen: never/,
  crashes: /exited with code 1[\s\S]*deliberate crash during startup/,
  'ignores-sigterm': /still running 6 s after SIGTERM[\s\S]*PID 1: \/bin\/sh -c/,
  'drops-in-flight':
    /^the request in flight at SIGTERM was not answered 200 \(failed: [\s\S]*in flight inside the app when SIGTERM was sent[\s\S]*exit code 0/,
  'writes-code': /Read-only file system: '\/app\/state\.json'/,
  'ignores-env': /FIXTURE_API_KEY \(secret, from the env-file\).*another value/,
};

/** What the fixture app does, written by hand the way targetFromModel would derive it. */
const FIXTURE_TARGET: VerifyTarget = defaultTarget({
  health: { liveness: '/healthz', readiness: '/readyz' },
  appModule: 'fixture_app.server',
  routes: [
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
  ],
  settings: [
    {
      importPath: 'fixture_app.settings:Settings',
      vars: [
        { name: 'FIXTURE_GREETING', field: 'greeting', type: 'str', secret: false, required: false },
        { name: 'FIXTURE_API_KEY', field: 'api_key', type: 'SecretStr', secret: true, required: true },
      ],
    },
  ],
  // Short bounds keep the never-binds and ignores-SIGTERM images from dominating the suite.
  startDeadlineSeconds: 10,
  gracefulTimeoutSeconds: 3,
  gracePeriodSeconds: 6,
  healthDeadlineSeconds: 30,
});

const summary = (results: readonly Result[]) =>
  results.map(
    (result) => `${result.status.padEnd(4)} ${result.id} (${result.durationMs} ms): ${result.message}`,
  );

describe('verify on deliberately bad images and a good one', () => {
  let engine: ContainerEngine;
  /**
   * Run ids of the verify containers this test process made (a run id starts with the pid): other
   * sessions on the machine may be verifying their own images at the same time.
   */
  const ownRuns = async (): Promise<string[]> => {
    const result = await exec(engine.kind, [
      'ps',
      '--all',
      '--filter',
      `label=${RUN_LABEL}`,
      '--format',
      `{{.Label "${RUN_LABEL}"}}`,
    ]);
    return result.stdout.split('\n').filter((run) => run.startsWith(`${process.pid}-`));
  };
  const reports: VerifyReport[] = [];

  beforeAll(async () => {
    engine = await realEngine();
    expect(await ownRuns()).toEqual([]);
    for (const name of ['good', ...Object.keys(BAD)]) {
      await engine.build({
        context: fixtures,
        dockerfile: join(fixtures, name, 'Dockerfile'),
        tags: [tag(name)],
      });
    }
  });

  afterAll(async () => {
    if (!engine) return;
    await engine.removeImages(['good', ...Object.keys(BAD)].map(tag));
  });

  const verify = async (name: string) => {
    const started = Date.now();
    const report = await verifyImage({ engine, image: tag(name), target: FIXTURE_TARGET });
    reports.push(report);
    process.stderr.write(
      `\n${name} (${Date.now() - started} ms)\n  ${summary(report.results).join('\n  ')}\n`,
    );
    return report;
  };

  it('passes every check on the good image', async () => {
    const report = await verify('good');
    expect(summary(report.results).filter((line) => !line.startsWith('pass'))).toEqual([]);
    expect(report.results).toHaveLength(11);
    expect(report.ok).toBe(true);
    const starts = report.results.find((result) => result.id === 'verify.starts');
    expect(starts?.evidence?.join('\n')).toMatch(/time-to-alive \(GET \/healthz\): \d+\.\d\d s/);
    const graceful = report.results.find((result) => result.id === 'verify.graceful-shutdown');
    expect(graceful?.evidence?.join('\n')).toMatch(
      /GET \/__slipway__\/slow: in flight inside the app when SIGTERM was sent; answer: 200 \d+\.\d\d s after SIGTERM/,
    );
  });

  it.each(Object.entries(BAD))('fails exactly one check on %s: %s', async (name, check) => {
    const report = await verify(name);
    const failed = report.results.filter((result) => result.status === 'fail');
    expect(failed.map((result) => result.id)).toEqual([check]);
    expect(failed[0]?.hint).toBeTruthy();
    expect([failed[0]?.message, ...(failed[0]?.evidence ?? [])].join('\n')).toMatch(EVIDENCE[name] ?? /^$/);
    expect(report.ok).toBe(false);
  });

  it('without a health route, counts an answer below 500 from /openapi.json as alive', async () => {
    const started = Date.now();
    const report = await verifyImage({
      engine,
      image: tag('good'),
      target: { ...FIXTURE_TARGET, health: { liveness: undefined, readiness: undefined } },
      only: ['verify.starts', 'verify.answers', 'verify.routes', 'verify.restricted'],
    });
    reports.push(report);
    process.stderr.write(
      `\nno health route (${Date.now() - started} ms)\n  ${summary(report.results).join('\n  ')}\n`,
    );
    expect(summary(report.results).filter((line) => !line.startsWith('pass'))).toEqual([]);
    expect(report.results[0]?.message).toMatch(/^answered 200 on \/openapi\.json after \d+\.\d\d s$/);
  });

  it('on a probe path the app does not serve: says it listens, and lists the routes it does serve', async () => {
    const report = await verifyImage({
      engine,
      image: tag('good'),
      target: { ...FIXTURE_TARGET, health: { liveness: '/api/v1/healthz', readiness: '/api/v1/healthz' } },
      only: ['verify.starts', 'verify.routes'],
    });
    reports.push(report);
    process.stderr.write(`\nwrong probe path\n  ${summary(report.results).join('\n  ')}\n`);
    const [starts, routes] = report.results;
    expect(starts?.message).toBe(
      'it is listening, but GET /api/v1/healthz → 404: the health route is not at that path',
    );
    expect(starts?.evidence?.join('\n')).toMatch(/routes at run time: GET \/healthz, GET \/readyz/);
    expect(starts?.hint).toMatch(/health\.liveness/);
    expect(routes?.status).toBe('fail');
    expect(routes?.evidence?.join('\n')).toMatch(
      /routes at run time: GET \/healthz, GET \/readyz\nroutes found by analyze: GET \/healthz, GET \/readyz/,
    );
  });

  it('removes its containers when interrupted mid-run (SIGINT during the HEALTHCHECK wait)', async () => {
    // A stand-in for the process, so that the signal reaches the runner but the test runs on.
    const signals = new (class extends EventEmitter implements SignalHost {
      readonly pid = process.pid;
      readonly killed: string[] = [];
      kill(_pid: number, signal: NodeJS.Signals) {
        this.killed.push(signal);
      }
    })();
    const running = verifyImage({
      engine,
      image: tag('good'),
      target: FIXTURE_TARGET,
      signals,
      onCheckStart: (check) => {
        if (check.id === 'verify.healthcheck') setTimeout(() => signals.emit('SIGINT', 'SIGINT'), 300);
      },
    });
    await expect(running).rejects.toBeInstanceOf(VerifyInterruptedError);
    expect(signals.killed).toEqual(['SIGINT']);
    expect(await ownRuns()).toEqual([]);
  });

  it('never shows the secret it supplied', () => {
    for (const report of reports) {
      const text = JSON.stringify(report.results);
      expect(text).not.toMatch(/slipway-verify-[0-9a-f]{48}/);
    }
  });

  it('leaves no container behind', async () => {
    expect(reports.length).toBe(3 + Object.keys(BAD).length);
    for (const report of reports) {
      expect(report.leftovers).toEqual([]);
      expect(await engine.containersWithLabel(`${RUN_LABEL}=${report.runId}`)).toEqual([]);
    }
    // Every container a verify run makes carries RUN_LABEL (and OWNER_LABEL): none of ours is left.
    expect(await ownRuns()).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { checkProject } from '../../../src/check/project.js';
import { generateFiles } from '../../../src/generate/index.js';
import { repoRoot } from '../../helpers/cli.js';
import { inCI } from '../../helpers/testbed.js';
import { cases, model } from './models.js';

// The bases without a shell (distroless, hardened) share one shape of final stage: these are its
// properties; base-distroless and base-hardened hold each base's own golden files and errors.

const BASES = ['distroless', 'hardened'] as const;

function withBase(m: ProjectModel, base: (typeof BASES)[number]): ProjectModel {
  return { ...m, config: { ...m.config, base } };
}

/** The instructions of the last stage (comments and blank lines dropped, continuations joined). */
function finalStage(text: string): string[] {
  const joined = text.replace(/\\\n/g, ' ');
  const stages: string[][] = [];
  for (const line of joined.split('\n')) {
    if (line.startsWith('FROM ')) stages.push([]);
    if (line.trim() && !line.trim().startsWith('#')) stages.at(-1)?.push(line.trim());
  }
  return stages.at(-1) ?? [];
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function writeProject(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-base-'));
  scratch.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** hadolint as the side-by-side test finds it: HADOLINT, the test bed's cache, or PATH. */
function hadolint(): string | undefined {
  const version = /^HADOLINT_VERSION=(\S+)$/m.exec(
    readFileSync(join(repoRoot, 'scripts', 'testbed', 'pins.sh'), 'utf8'),
  )?.[1];
  const cache =
    process.env.SLIPWAY_TESTBED_CACHE ??
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slipway-testbed');
  const candidates = [
    process.env.HADOLINT,
    version ? join(cache, 'hadolint', version, 'bin', 'hadolint') : undefined,
    join(repoRoot, '.cache', 'hadolint', 'bin', 'hadolint'),
    'hadolint',
  ];
  return candidates.find(
    (candidate): candidate is string =>
      candidate !== undefined && spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0,
  );
}
const HADOLINT = hadolint();

describe.each(BASES)('base = "%s"', (base) => {
  // The shapes this base can carry: no apt.runtime packages, and Python 3.13 on distroless.
  const shapes = Object.entries(cases).filter(
    ([, m]) => m.native.runtime.length === 0 && (base !== 'distroless' || m.python.version === '3.13'),
  );

  it.each(shapes)('%s: the final stage has no RUN, and exec forms only', (_name, shape) => {
    const last = finalStage(generateFiles(withBase(shape, base)).Dockerfile ?? '');
    expect(last.length).toBeGreaterThan(5);
    expect(last.filter((line) => line.startsWith('RUN '))).toEqual([]);
    expect(last.filter((line) => line.startsWith('SHELL '))).toEqual([]);
    for (const keyword of ['CMD', 'ENTRYPOINT']) {
      const line = last.find((l) => l.startsWith(`${keyword} `));
      expect(line, keyword).toMatch(new RegExp(`^${keyword} \\[`));
    }
    const health = last.find((line) => line.startsWith('HEALTHCHECK '));
    if (shape.health.liveness || shape.config.health.liveness) {
      expect(health).toMatch(/ CMD \["python", "-c", /);
    }
    expect(last).toContain('ENTRYPOINT []');
    expect(last).toContain('COPY --from=builder --chown=0:0 /app/.venv /app/.venv');
    expect(last.find((line) => line.startsWith('USER '))).toBe(
      `USER ${shape.config.uid}:${shape.config.gid}`,
    );
  });

  it("waits in preStop with the kubelet's own sleep action, no process in the container", () => {
    const files = generateFiles(withBase(model(), base));
    const deployment = parse(files['deploy/k8s/base/deployment.yaml'] ?? '');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    const slim = parse(generateFiles(model())['deploy/k8s/base/deployment.yaml'] ?? '');
    expect(slim.spec.template.spec.containers[0].lifecycle.preStop.exec.command[0]).toBe('python');
  });

  it.each(shapes)(
    '%s: passes every rule of slipway check (bundled schema, Pod Security)',
    async (_n, shape) => {
      const m = withBase(shape, base);
      // analyze lists the health routes among the routes; the hand-built models do not.
      const health = [
        m.health.liveness,
        m.health.readiness,
        m.config.health.liveness,
        m.config.health.readiness,
      ];
      const extra = [...new Set(health.filter((p): p is string => p !== undefined))]
        .filter((path) => !m.routes.some((route) => route.path === path))
        .map((path) => ({ method: 'GET', path, file: 'app.py', line: 1 }));
      const consistent = { ...m, routes: [...m.routes, ...extra] };
      const dir = writeProject(generateFiles(consistent));
      const report = await checkProject(dir, { model: consistent, renderer: 'builtin' });
      const active = report.findings.filter((finding) => !finding.suppressed);
      expect(active.map((f) => `${f.id} ${JSON.stringify(f.location)} ${f.message}`)).toEqual([]);
      expect(report.files).toContain('deploy/k8s/base/deployment.yaml');
    },
  );

  // Under CI=true hadolint is required (.ci/run installs it); outside CI only may this skip.
  it.runIf(inCI || HADOLINT !== undefined).each(shapes)('%s: hadolint finds nothing', (_n, shape) => {
    expect(HADOLINT, 'hadolint not found: run scripts/testbed/hadolint.sh').toBeDefined();
    const dir = writeProject({ Dockerfile: generateFiles(withBase(shape, base)).Dockerfile ?? '' });
    const run = spawnSync(HADOLINT as string, [join(dir, 'Dockerfile')], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });

  it('a shell in the final stage would be caught by this test (the slim stage has RUN)', () => {
    const slim = finalStage(generateFiles(model()).Dockerfile ?? '');
    expect(slim.some((line) => line.startsWith('RUN '))).toBe(true);
  });
});

import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ContainerEngine } from '../../src/engines/engine.js';
import { DISTROLESS_BUILDER_IMAGE, DISTROLESS_IMAGE } from '../../src/generate/dockerfile-bases.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

/**
 * The reference backend with `[tool.slipway] base = "distroless"`: init writes the shell-less
 * Dockerfile, it builds on the real engine (FROM gcr.io/distroless/python3-debian13:nonroot, the
 * test bed's stand-in from scripts/testbed/distroless.sh), verify passes every check, the image
 * has no shell, and the scan lists its Debian packages.
 */
describe('base = "distroless" on the reference backend', () => {
  let engine: ContainerEngine;
  let work = '';
  const name = `slipway-e2e-distroless-${process.pid}`;
  const image = `${name}:0.1.0`;

  beforeAll(async () => {
    engine = await realEngine();
    for (const base of [DISTROLESS_IMAGE, DISTROLESS_BUILDER_IMAGE]) {
      expect(
        await engine.inspectImage(base),
        `${base} is missing: run scripts/testbed/distroless.sh`,
      ).toBeTruthy();
    }
    work = await mkdtemp(join(tmpdir(), 'slipway-distroless-'));
    await cp(join(repoRoot, 'examples', 'backend'), work, {
      recursive: true,
      filter: (path) => !/\/(\.venv|__pycache__|\.pytest_cache)$/.test(path),
    });
    await appendFile(
      join(work, 'pyproject.toml'),
      `\n[tool.slipway]\nbase = "distroless"\n\n[tool.slipway.image]\nname = "${name}"\n`,
    );
  });

  afterAll(async () => {
    if (engine) await engine.removeImages([image]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('init writes a final stage without RUN and a preStop sleep action', async () => {
    const init = await runCli(['init', work, '--force']);
    expect(init.code, init.stderr).toBe(0);
    const dockerfile = await readFile(join(work, 'Dockerfile'), 'utf8');
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^\nFROM gcr\.io\/distroless\/python3-debian13:nonroot\n/);
    expect(final).not.toMatch(/^RUN /m);
    const deployment = parse(await readFile(join(work, 'deploy/k8s/base/deployment.yaml'), 'utf8'));
    expect(deployment.spec.template.spec.containers[0].lifecycle).toEqual({
      preStop: { sleep: { seconds: 5 } },
    });
    const check = await runCli(['check', work]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('builds, and verify passes every check (the scan skips without vulnerability data)', async () => {
    const build = await runCli(['build', work]);
    expect(build.code, build.stderr + build.stdout).toBe(0);
    const verify = await runCli(['verify', work, '--json']);
    process.stderr.write(`\n${verify.stderr.slice(-3000)}\n`);
    const report = JSON.parse(verify.stdout) as {
      results: { id: string; status: string; message: string }[];
    };
    const notPassed = report.results
      .filter((r) => r.status !== 'pass')
      .map((r) => `${r.id} ${r.status}: ${r.message}`);
    expect(notPassed).toEqual([expect.stringMatching(/^verify\.scan skip: no vulnerability data given/)]);
    expect(report.results.length).toBeGreaterThanOrEqual(12);
    expect(verify.code).toBe(0);
  });

  it('has no shell, no package manager, and runs python from the venv built for /usr/bin/python3.13', async () => {
    const shell = await engine.runOnce({ image, entrypoint: '/bin/sh', command: ['-c', 'true'] });
    expect(shell.code).not.toBe(0);
    expect(shell.stderr).toMatch(/no such file|not found/i);
    const probe = await engine.runOnce({
      image,
      entrypoint: 'python3',
      command: [
        '-c',
        'import json, os; print(json.dumps({p: os.path.lexists(p) for p in ["/bin/sh", "/usr/bin/sh", "/bin/bash", "/bin/dash", "/usr/bin/apt-get", "/usr/bin/dpkg"]} | {"python": os.readlink("/app/.venv/bin/python"), "stdlib": __import__("asyncio").__file__}))',
      ],
    });
    expect(probe.code, probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout)).toEqual({
      '/bin/sh': false,
      '/usr/bin/sh': false,
      '/bin/bash': false,
      '/bin/dash': false,
      '/usr/bin/apt-get': false,
      '/usr/bin/dpkg': false,
      python: '/usr/bin/python3.13',
      // The standard library's byte code, compiled in the builder from this image's sources.
      stdlib: '/usr/lib/python313.zip/asyncio/__init__.pyc',
    });
  });

  it('scan lists the Debian packages of the distroless base', async () => {
    const scan = await runCli(['scan', image]);
    expect(scan.code, scan.stderr).toBe(0);
    const packages = /Packages: (\d+) \((\d+) deb, (\d+) python\)/.exec(scan.stdout);
    expect(packages, scan.stdout).not.toBeNull();
    expect(Number(packages?.[2])).toBeGreaterThanOrEqual(15);
    expect(scan.stdout).toContain('Debian GNU/Linux 13 (trixie)');
  });
});

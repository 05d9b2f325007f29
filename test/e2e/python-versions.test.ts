import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

// Projects pinned to each Python the test bed has a stand-in for (scripts/testbed/images.sh: 3.11,
// 3.13 and 3.14 from Debian; 3.10 and 3.12, which no Debian suite ships, from this host's pyenv
// builds on bookworm's libraries) ship end to end on that Python: slipway picks the image from
// .python-version, the build runs on it, and every verify check (with the scan) passes. The
// default 3.13 is the reference backend's.
const cases = [
  { fixture: 'py310', python: '3.10' },
  { fixture: 'py311', python: '3.11' },
  { fixture: 'py312', python: '3.12' },
  { fixture: 'py314', python: '3.14' },
] as const;

describe.each(cases)('slipway ship on a project pinned to Python $python', ({ fixture, python }) => {
  let work = '';
  let image = '';

  afterAll(async () => {
    if (image) await (await realEngine()).removeImages([image]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('builds on python:X.Y-slim, runs that Python, and passes verify', async () => {
    work = await mkdtemp(join(tmpdir(), `slipway-${fixture}-`));
    await cp(join(repoRoot, 'test', 'fixtures', 'python-versions', fixture), work, { recursive: true });
    const shipped = await runCli(['ship', work, '--json']);
    const outcome = JSON.parse(shipped.stdout || '{}') as {
      ok?: boolean;
      image?: string;
      verify?: { id: string; status: string; message: string }[];
    };
    image = outcome.image ?? '';
    const failed = (outcome.verify ?? []).filter((r) => r.status === 'fail');
    expect(shipped.code, `${shipped.stderr}\n${JSON.stringify(failed, null, 2)}`).toBe(0);
    expect(outcome.ok).toBe(true);
    expect(outcome.verify?.map((r) => r.id)).toContain('verify.starts');

    const dockerfile = readFileSync(join(work, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ARG PYTHON_VERSION=${python}\n`);
    expect(dockerfile).toMatch(/^FROM python:\$\{PYTHON_VERSION\}-slim$/m);
    const version = spawnSync(
      'docker',
      [
        'run',
        '--rm',
        '--entrypoint',
        'python',
        image,
        '-c',
        'import sys; print("%d.%d" % sys.version_info[:2])',
      ],
      { encoding: 'utf8' },
    );
    expect(version.stdout.trim(), version.stderr).toBe(python);
  });
});

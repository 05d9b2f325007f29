import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../src/engines/docker.js';
import type { ContainerEngine } from '../../../src/engines/engine.js';
import { PodmanEngine } from '../../../src/engines/podman.js';

// Each engine reading its CLI's output, as docker 20.10 and podman 4.3 print it, through a fake
// CLI that answers from canned output (no engine runs).
const healthcheck = {
  Test: ['CMD', 'python', '-c', 'ok'],
  Interval: 10e9,
  Timeout: 5e9,
  StartPeriod: 20e9,
  Retries: 3,
};
const config = { User: '10001:10001', Labels: { a: 'b' }, Env: ['A=1'], ExposedPorts: { '8000/tcp': {} } };
const json = (value: unknown) => JSON.stringify(value);

/** Start of the CLI arguments → stdout. */
const canned: Record<'docker' | 'podman', Record<string, string>> = {
  docker: {
    'image inspect app:1': json([
      {
        Id: 'sha256:abc',
        RepoTags: ['app:1'],
        Size: 42,
        Created: 'now',
        Config: { ...config, Healthcheck: healthcheck },
      },
    ]),
    // One object per line, newest first.
    'image history': [
      json({ CreatedBy: '/bin/sh -c #(nop)  CMD ["uvicorn"]', Size: '0' }),
      json({ CreatedBy: 'RUN /bin/sh -c uv sync # buildkit', Size: '1000' }),
    ].join('\n'),
    inspect: json({ Running: true, ExitCode: 0, Health: { Status: 'healthy', Log: [{ Output: 'ok' }] } }),
  },
  podman: {
    // The HEALTHCHECK beside Config, the id without its algorithm.
    'image inspect app:1': json([
      {
        Id: 'abc',
        RepoTags: ['localhost/app:1'],
        Size: 42,
        Created: 'now',
        Config: config,
        Healthcheck: healthcheck,
      },
    ]),
    // All rows in one array, with a lower-case `size`.
    'image history': json([
      { CreatedBy: '/bin/sh -c #(nop) CMD ["uvicorn"]', size: 0 },
      { CreatedBy: '/bin/sh -c uv sync', size: 1000 },
    ]),
    'container inspect': json([{ State: { Running: false } }]),
    inspect: json({
      Running: false,
      ExitCode: 0,
      OOMKilled: false,
      Healthcheck: { Status: 'starting', Log: null },
    }),
  },
};

let dir: string;
const engines: Partial<Record<'docker' | 'podman', ContainerEngine>> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-fake-cli-'));
  for (const kind of ['docker', 'podman'] as const) {
    const cases: string[] = [];
    for (const [index, [command, output]] of Object.entries(canned[kind]).entries()) {
      const file = join(dir, `${kind}-${index}.out`);
      await writeFile(file, `${output}\n`);
      cases.push(`  "${command}"*) cat '${file}' ;;`);
    }
    const bin = join(dir, kind);
    await writeFile(bin, `#!/bin/sh\ncase "$*" in\n${cases.join('\n')}\n  *) exit 1 ;;\nesac\n`);
    await chmod(bin, 0o755);
    engines[kind] = kind === 'docker' ? new DockerEngine(bin) : new PodmanEngine(bin);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(['docker', 'podman'] as const)('%s output', (kind) => {
  it('image inspect: id with its algorithm, user, labels, HEALTHCHECK in milliseconds', async () => {
    expect(await engines[kind]?.inspectImage('app:1')).toMatchObject({
      id: 'sha256:abc',
      size: 42,
      user: '10001:10001',
      labels: { a: 'b' },
      exposedPorts: ['8000/tcp'],
      healthcheck: {
        test: ['CMD', 'python', '-c', 'ok'],
        intervalMs: 10_000,
        timeoutMs: 5_000,
        startPeriodMs: 20_000,
        retries: 3,
      },
    });
  });

  it('image inspect of an unknown image: undefined', async () => {
    expect(await engines[kind]?.inspectImage('missing:1')).toBeUndefined();
  });

  it('image history: oldest layer first, instructions cleaned', async () => {
    expect(await engines[kind]?.history('app:1')).toEqual([
      { size: 1000, createdBy: 'RUN uv sync', empty: false },
      { size: 0, createdBy: 'CMD ["uvicorn"]', empty: true },
    ]);
  });
});

describe('container state', () => {
  it('docker: Health', async () => {
    expect(await engines.docker?.state('c')).toEqual({
      running: true,
      exitCode: 0,
      health: 'healthy',
      oomKilled: false,
      healthLog: ['ok'],
    });
  });

  it('podman: Healthcheck, the name some 4.x releases use', async () => {
    expect(await engines.podman?.state('c')).toEqual({
      running: false,
      exitCode: 0,
      health: 'starting',
      oomKilled: false,
      healthLog: [],
    });
  });
});

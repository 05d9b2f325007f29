import { describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../src/engines/docker.js';
import type { BuildRequest, RunRequest } from '../../../src/engines/engine.js';
import {
  absoluteMountTargets,
  needsAbsoluteMountTargets,
  PodmanEngine,
} from '../../../src/engines/podman.js';

// The command lines each engine would run, read through the protected builders (no engine runs).
class DockerArgs extends DockerEngine {
  build_(request: BuildRequest) {
    return this.buildCommand(request, '/tmp/iid');
  }
  run_(request: RunRequest) {
    return this.runArgs(request);
  }
}
class PodmanArgs extends PodmanEngine {
  build_(request: BuildRequest) {
    return this.buildCommand(request, '/tmp/iid');
  }
  run_(request: RunRequest) {
    return this.runArgs(request);
  }
}

const build: BuildRequest = {
  context: '/src/app',
  dockerfile: '/src/app/Dockerfile',
  tags: ['app:1.0', 'app:abc123'],
  buildArgs: { VERSION: '1.0' },
  labels: { 'io.slipway.verify.port': '8000', 'io.slipway.verify.routes': '["/a b","/c"]' },
  secrets: { pypi: '/run/secrets/pypi' },
  target: 'final',
  noCache: true,
};
const shared = [
  '--file',
  '/src/app/Dockerfile',
  '--tag',
  'app:1.0',
  '--tag',
  'app:abc123',
  '--build-arg',
  'VERSION=1.0',
  '--label',
  'io.slipway.verify.port=8000',
  '--label',
  'io.slipway.verify.routes=["/a b","/c"]',
  '--secret',
  'id=pypi,src=/run/secrets/pypi',
  '--target',
  'final',
  '--no-cache',
];

describe('build command lines', () => {
  it('docker: BuildKit through buildx, loaded into the image store', () => {
    expect(new DockerArgs().build_(build)).toEqual([
      'buildx',
      'build',
      '--load',
      '--progress',
      'plain',
      '--iidfile',
      '/tmp/iid',
      ...shared,
      '/src/app',
    ]);
  });

  it('podman: docker image format (keeps HEALTHCHECK), layer cache, no pull of local images', () => {
    expect(new PodmanArgs().build_(build)).toEqual([
      'build',
      '--layers',
      '--format',
      'docker',
      '--pull=missing',
      '--iidfile',
      '/tmp/iid',
      ...shared,
      '/src/app',
    ]);
  });

  it('leave out what the request does not ask for', () => {
    expect(new PodmanArgs().build_({ context: '.', tags: ['x'] })).toEqual([
      'build',
      '--layers',
      '--format',
      'docker',
      '--pull=missing',
      '--iidfile',
      '/tmp/iid',
      '--tag',
      'x',
      '.',
    ]);
  });
});

describe('run arguments (shared by both engines)', () => {
  const request: RunRequest = {
    image: 'app:1.0',
    name: 'app-1',
    env: { API_KEY: 'secret-value' },
    publish: [{ containerPort: 8000 }, { containerPort: 9000, hostIp: '127.0.0.2', hostPort: 19000 }],
    user: '10001:10001',
    readOnlyRootFilesystem: true,
    tmpfs: ['/tmp'],
    capDrop: ['ALL'],
    securityOpt: ['no-new-privileges'],
    labels: { 'io.slipway.test': 'run' },
    binds: { '/host/uv': '/usr/local/bin/uv' },
    network: 'none',
    envFile: '/tmp/secrets.env',
    entrypoint: 'id',
    command: ['-u'],
  };
  const expected = [
    '--label',
    'io.slipway.owner=slipway',
    '--name',
    'app-1',
    '--label',
    'io.slipway.test=run',
    '--env',
    'API_KEY',
    '--publish',
    '127.0.0.1::8000',
    '--publish',
    '127.0.0.2:19000:9000',
    '--user',
    '10001:10001',
    '--read-only',
    '--tmpfs',
    '/tmp',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--mount',
    'type=bind,source=/host/uv,target=/usr/local/bin/uv,readonly',
    '--network',
    'none',
    '--env-file',
    '/tmp/secrets.env',
    '--entrypoint',
    'id',
    'app:1.0',
    '-u',
  ];

  it.each([
    ['docker', new DockerArgs()],
    ['podman', new PodmanArgs()],
  ])('%s: every option, values of env never in the arguments', (_, engine) => {
    const args = engine.run_(request);
    expect(args).toEqual(expected);
    expect(args.join(' ')).not.toContain('secret-value');
  });
});

describe('buildah mount targets', () => {
  it.each([
    ['1.28.2', true],
    ['1.28', true],
    ['0.9.0', true],
    [undefined, true],
    ['1.29.0', false],
    ['1.33.7', false],
    ['2.0.0', false],
  ])('buildah %s needs absolute targets: %s', (version, expected) => {
    expect(needsAbsoluteMountTargets(version)).toBe(expected);
  });

  const workdirOf = async (image: string) => (image === 'with-workdir:1' ? '/srv' : '/');

  it('resolves relative targets against WORKDIR, across continuation lines and stages', async () => {
    const dockerfile = [
      'ARG V=3.13',
      'FROM python:$V-slim AS builder',
      'WORKDIR /app',
      'RUN --mount=type=cache,target=/root/.cache/uv \\',
      '    --mount=type=bind,source=uv.lock,target=uv.lock \\',
      '    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\',
      '    uv sync --locked',
      'FROM builder AS tests',
      'WORKDIR tests',
      'RUN --mount=type=secret,id=pypi,dst=../pypi.txt --mount=type=bind,src=x,destination=sub/x true',
      'FROM with-workdir:1',
      'RUN --mount=type=bind,source=a,target=a cat a target=keep',
    ].join('\n');
    expect(await absoluteMountTargets(dockerfile, workdirOf)).toBe(
      [
        'ARG V=3.13',
        'FROM python:$V-slim AS builder',
        'WORKDIR /app',
        'RUN --mount=type=cache,target=/root/.cache/uv \\',
        '    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\',
        '    --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \\',
        '    uv sync --locked',
        'FROM builder AS tests',
        'WORKDIR tests',
        'RUN --mount=type=secret,id=pypi,dst=/app/pypi.txt --mount=type=bind,src=x,destination=/app/tests/sub/x true',
        'FROM with-workdir:1',
        'RUN --mount=type=bind,source=a,target=/srv/a cat a target=keep',
      ].join('\n'),
    );
  });

  it('changes nothing when every target is absolute', async () => {
    const dockerfile = 'FROM python:3.13-slim\nRUN --mount=type=cache,target=/root/.cache uv sync\n';
    expect(await absoluteMountTargets(dockerfile, workdirOf)).toBeUndefined();
  });

  it('leaves a target alone when the WORKDIR is not known before the build', async () => {
    const unknownBase = 'ARG BASE\nFROM $BASE\nRUN --mount=type=bind,source=a,target=a true\n';
    const variable = 'FROM python:3.13-slim\nWORKDIR $HOME\nRUN --mount=type=bind,source=a,target=a true\n';
    expect(await absoluteMountTargets(unknownBase, workdirOf)).toBeUndefined();
    expect(await absoluteMountTargets(variable, workdirOf)).toBeUndefined();
  });
});

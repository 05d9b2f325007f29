import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cleanInstruction,
  dueHealthcheck,
  parseHistory,
  parseImageInspect,
  parseState,
} from '../../../src/engines/inspect.js';

// The engines' JSON read on output captured from docker 20.10 and podman 4.3 (samples/README.md);
// what the captured images lack (a HEALTHCHECK, container states) is added in the shape each
// engine prints it.
const sample = (name: string) => readFileSync(new URL(`samples/${name}.out`, import.meta.url), 'utf8');
const dockerImage = JSON.parse(sample('docker-20.10-image-inspect'));
const podmanImage = JSON.parse(sample('podman-4.3-image-inspect'));
const healthcheck = {
  Test: ['CMD', 'python', '-c', 'ok'],
  Interval: 10e9,
  Timeout: 5e9,
  StartPeriod: 20e9,
  Retries: 3,
};
const expectedHealthcheck = {
  test: ['CMD', 'python', '-c', 'ok'],
  intervalMs: 10_000,
  timeoutMs: 5_000,
  startPeriodMs: 20_000,
  retries: 3,
};
const withHealthcheck = (images: { Config: object }[], beside: boolean, check: unknown) =>
  JSON.stringify(
    images.map((image) =>
      beside
        ? { ...image, Healthcheck: check }
        : { ...image, Config: { ...image.Config, Healthcheck: check } },
    ),
  );

describe('image inspect', () => {
  it('docker: BuildKit-built image, id with its algorithm, user and labels from Config', () => {
    expect(parseImageInspect(sample('docker-20.10-image-inspect'))).toEqual({
      id: 'sha256:ddd35728dc125a4802279b8d75e3ab42dad877128ef40344a644324708d63105',
      repoTags: ['localhost/slipway/pause:catatonit-1'],
      size: 699160,
      user: '65535:65535',
      labels: {
        'io.slipway.stand-in': 'true',
        'io.slipway.stand-in.source': 'Debian catatonit 0.1.7-1+b2 (pause mode)',
      },
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      exposedPorts: [],
      created: '2026-12-01T22:35:48.325810891Z',
    });
  });

  it('podman: id without algorithm, no User in Config, no HEALTHCHECK', () => {
    expect(parseImageInspect(sample('podman-4.3-image-inspect'))).toEqual({
      id: 'b6b7ab8cec4334eb5c53fa619fc3f618b2211d9a0e75fe1b493a8ca55ef78440',
      repoTags: ['docker.io/library/python:3.13-slim'],
      size: 120800758,
      user: '',
      labels: {
        'io.slipway.stand-in': 'true',
        'io.slipway.stand-in.recipe': '9c22cf3241eba513',
        'io.slipway.stand-in.source': 'debian trixie python3.13 via mmdebstrap',
      },
      env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'LANG=C.UTF-8',
        'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
      ],
      exposedPorts: [],
      created: '2026-12-01T22:29:35.620618684Z',
    });
  });

  it.each([
    ['docker: inside Config', dockerImage, false, healthcheck, expectedHealthcheck],
    ['podman: beside Config', podmanImage, true, healthcheck, expectedHealthcheck],
    ['NONE: switched off', dockerImage, false, { Test: ['NONE'] }, undefined],
    ['null', podmanImage, true, null, undefined],
  ])('HEALTHCHECK %s, durations from nanoseconds', (_, image, beside, check, expected) => {
    expect(parseImageInspect(withHealthcheck(image, beside, check))?.healthcheck).toEqual(expected);
  });

  it('an empty answer: no image', () => {
    expect(parseImageInspect('[]')).toBeUndefined();
  });
});

describe('image history', () => {
  it('docker: one object per line, string sizes, oldest layer first', () => {
    expect(parseHistory(sample('docker-20.10-image-history'))).toEqual([
      { size: 699160, createdBy: 'COPY catatonit /catatonit', empty: false },
      { size: 0, createdBy: 'USER 65535:65535', empty: true },
      { size: 0, createdBy: 'ENTRYPOINT ["/catatonit" "-P"]', empty: true },
      {
        size: 0,
        createdBy:
          'LABEL io.slipway.stand-in=true io.slipway.stand-in.source=Debian catatonit 0.1.7-1+b2 (pause mode)',
        empty: true,
      },
    ]);
  });

  it('podman: one array, lower-case size, an imported layer without CreatedBy', () => {
    expect(parseHistory(sample('podman-4.3-image-history'))).toEqual([
      { size: 120798720, createdBy: '', empty: false },
    ]);
  });

  it.each([
    ['/bin/sh -c #(nop)  CMD ["uvicorn"]', 'CMD ["uvicorn"]'],
    ['/bin/sh -c #(nop) ENV A=b', 'ENV A=b'],
    ['|2 A=b B= /bin/sh -c uv sync', 'RUN uv sync'],
    ['RUN /bin/sh -c uv sync # buildkit', 'RUN uv sync'],
    ['/bin/sh -c apt-get update', 'RUN apt-get update'],
    ['COPY . /app # buildkit', 'COPY . /app'],
  ])('instruction %j reads %j', (createdBy, expected) => {
    expect(cleanInstruction(createdBy)).toBe(expected);
  });
});

describe('container state', () => {
  const probe = { Start: '2026-12-01T10:00:00Z', End: '2026-12-01T10:00:01Z', ExitCode: 0, Output: 'ok' };
  it.each([
    [
      'docker: Health',
      {
        Status: 'running',
        Running: true,
        ExitCode: 0,
        OOMKilled: false,
        Health: { Status: 'healthy', Log: [probe] },
      },
      { running: true, exitCode: 0, health: 'healthy', oomKilled: false, healthLog: ['ok'] },
    ],
    [
      'podman: Healthcheck, no log yet, no OOMKilled',
      { Status: 'exited', Running: false, ExitCode: 137, Healthcheck: { Status: 'starting', Log: null } },
      { running: false, exitCode: 137, health: 'starting', oomKilled: false, healthLog: [] },
    ],
    [
      'no HEALTHCHECK: no health, no log',
      { Running: false, ExitCode: 1, OOMKilled: true },
      { running: false, exitCode: 1, health: undefined, oomKilled: true },
    ],
  ])('%s', (_, state, expected) => {
    expect(parseState(JSON.stringify(state))).toEqual(expected);
  });
});

describe('podman healthcheck due without systemd timers', () => {
  const now = Date.parse('2026-12-01T10:01:00Z');
  const container = (
    state: object,
    check: object | null = { Test: ['CMD', 'true'], Interval: 30e9, Timeout: 5e9 },
  ) =>
    JSON.stringify([
      {
        State: { Running: true, StartedAt: '2026-12-01T10:00:00Z', ...state },
        Config: { Healthcheck: check },
      },
    ]);
  it.each([
    ['the interval passed since the start', container({ Health: { Log: null } }), { timeoutMs: 5_000 }],
    [
      'the interval passed since the last probe',
      container({ Healthcheck: { Log: [{ Start: '2026-12-01T10:00:20Z' }] } }),
      { timeoutMs: 5_000 },
    ],
    [
      'the last probe too recent',
      container({ Health: { Log: [{ Start: '2026-12-01T10:00:45Z' }] } }),
      undefined,
    ],
    ['defaults of 30 s', container({ Health: {} }, { Test: ['CMD', 'true'] }), { timeoutMs: 30_000 }],
    ['not running', container({ Running: false, Health: {} }), undefined],
    ['no health state', container({}), undefined],
    ['HEALTHCHECK NONE', container({ Health: {} }, { Test: ['NONE'] }), undefined],
    ['no HEALTHCHECK', container({ Health: {} }, null), undefined],
    ['no start time', container({ StartedAt: 'unknown', Health: {} }), undefined],
  ])('%s', (_, stdout, expected) => {
    expect(dueHealthcheck(stdout, now)).toEqual(expected);
  });
});

import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerEngine } from '../../../src/engines/docker.js';
import type { ContainerEngine, RunRequest } from '../../../src/engines/engine.js';
import { PodmanEngine } from '../../../src/engines/podman.js';

// A stand-in CLI that records each call (one line of arguments) and answers like the engine:
// `network rm` of an unknown network fails, `network ls` prints one name per line.
let dir: string;
const engines: Partial<Record<'docker' | 'podman', ContainerEngine>> = {};
const logOf = (kind: string) => join(dir, `${kind}.log`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-net-cli-'));
  for (const kind of ['docker', 'podman'] as const) {
    const bin = join(dir, kind);
    await writeFile(
      bin,
      [
        '#!/bin/sh',
        `echo "$*" >> '${logOf(kind)}'`,
        'case "$*" in',
        '  "network rm gone") echo "Error: No such network: gone" >&2; exit 1 ;;',
        '  "network ls --quiet --filter label=io.slipway.verify.run=r1") printf "slipway-verify-r1\\n\\n" ;;',
        '  "network create"*) echo 5f1e ;;',
        '  "network rm"*) echo "$3" ;;',
        'esac',
      ].join('\n'),
    );
    await chmod(bin, 0o755);
    engines[kind] = kind === 'docker' ? new DockerEngine(bin) : new PodmanEngine(bin);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

class DockerArgs extends DockerEngine {
  run_(request: RunRequest) {
    return this.runArgs(request);
  }
}
class PodmanArgs extends PodmanEngine {
  run_(request: RunRequest) {
    return this.runArgs(request);
  }
}

describe.each(['docker', 'podman'] as const)('%s networks', (kind) => {
  it('creates a labelled network, lists by label, removes one at a time and ignores unknown ones', async () => {
    const engine = engines[kind] as ContainerEngine;
    await engine.createNetwork('slipway-verify-r1', {
      'io.slipway.owner': 'slipway',
      'io.slipway.verify.run': 'r1',
    });
    expect(await engine.networksWithLabel('io.slipway.verify.run=r1')).toEqual(['slipway-verify-r1']);
    await engine.removeNetworks(['slipway-verify-r1', 'gone', 'slipway-verify-r1']);
    const calls = (await readFile(logOf(kind), 'utf8')).trim().split('\n');
    expect(calls).toEqual([
      'network create --label io.slipway.owner=slipway --label io.slipway.verify.run=r1 slipway-verify-r1',
      'network ls --quiet --filter label=io.slipway.verify.run=r1',
      'network rm slipway-verify-r1',
      'network rm gone',
    ]);
  });

  it('joins a container to a network under its aliases', () => {
    const engine = kind === 'docker' ? new DockerArgs('docker') : new PodmanArgs('podman');
    const args = engine.run_({ image: 'postgres:17', network: 'net1', networkAliases: ['postgres', 'db'] });
    expect(args.join(' ')).toContain('--network net1 --network-alias postgres --network-alias db');
    expect(engine.run_({ image: 'postgres:17' })).not.toContain('--network-alias');
  });
});

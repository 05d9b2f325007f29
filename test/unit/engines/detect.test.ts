import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectEngine, probeEngines } from '../../../src/engines/detect.js';
import { EnvironmentError } from '../../../src/errors.js';

/**
 * Fake `docker` and `podman` on PATH: each records that it was asked (a file named after it) and
 * answers as a usable engine, or as one whose daemon is down.
 */
let bin: string;
let savedPath: string | undefined;

function fake(name: 'docker' | 'podman', usable: boolean): void {
  const asked = join(bin, `${name}.asked`);
  const answers =
    name === 'docker'
      ? usable
        ? `case "$1" in version) echo '{"Client":{"Version":"28.2.2"},"Server":{"Version":"28.2.2"}}';; buildx) echo 'github.com/docker/buildx v0.13.1';; esac`
        : `case "$1" in version) echo '{"Client":{"Version":"28.2.2"},"Server":null}'; echo 'Cannot connect to the Docker daemon' >&2; exit 1;; buildx) echo 'v0.13.1';; esac`
      : usable
        ? `case "$1" in info) echo '{"version":{"Version":"5.4.2"},"host":{"buildahVersion":"1.39.0"}}';; version) echo 5.4.2;; esac`
        : `case "$1" in info) echo 'cannot connect to Podman' >&2; exit 125;; version) echo 5.4.2;; esac`;
  writeFileSync(join(bin, name), `#!/bin/sh\ntouch '${asked}'\n${answers}\n`);
  chmodSync(join(bin, name), 0o755);
}

beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'slipway-detect-'));
  savedPath = process.env.PATH;
  process.env.PATH = `${bin}:/usr/bin:/bin`;
});
afterEach(() => {
  process.env.PATH = savedPath;
});

describe('detectEngine', () => {
  it('takes Docker when it can build, without asking Podman', async () => {
    fake('docker', true);
    fake('podman', true);
    const { info } = await detectEngine('');
    expect(info.kind).toBe('docker');
    expect(existsSync(join(bin, 'podman.asked'))).toBe(false);
  });

  it('asks Podman when Docker does not answer, and takes it', async () => {
    fake('docker', false);
    fake('podman', true);
    const { info } = await detectEngine('');
    expect(info.kind).toBe('podman');
    expect(existsSync(join(bin, 'docker.asked'))).toBe(true);
  });

  it('names every engine it asked when none answers', async () => {
    fake('docker', false);
    fake('podman', false);
    const error = await detectEngine('').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(/no container engine is reachable \(docker: .*; podman: /);
  });

  it('still probes every engine for doctor', async () => {
    fake('docker', true);
    fake('podman', true);
    const found = await probeEngines();
    expect(found.map((entry) => entry.info.kind)).toEqual(['docker', 'podman']);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_IMAGES } from '../../src/analyze/services.js';
import {
  DISTROLESS_BUILDER_IMAGE,
  DISTROLESS_IMAGE,
  DISTROLESS_PYTHON,
  HARDENED_REPOSITORY,
} from '../../src/generate/dockerfile-bases.js';
import { DEFAULT_PYTHON_VERSION, pythonImage, UV_IMAGE, UV_VERSION } from '../../src/pins.js';
import { repoRoot } from '../helpers/cli.js';

describe('pins', () => {
  it('match the test bed, so the stand-ins carry the names the Dockerfile uses', () => {
    const text = readFileSync(join(repoRoot, 'scripts', 'testbed', 'pins.sh'), 'utf8');
    const value = (name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(text)?.[1];
    expect(value('UV_VERSION')).toBe(UV_VERSION);
    expect(value('PYTHON_IMAGE')).toBe(pythonImage(DEFAULT_PYTHON_VERSION));
    expect(value('UV_IMAGE')?.replace(/\$\{UV_VERSION\}/, UV_VERSION)).toBe(UV_IMAGE);
    expect(value('DISTROLESS_IMAGE')).toBe(DISTROLESS_IMAGE);
    expect(value('DISTROLESS_BUILDER_IMAGE')).toBe(DISTROLESS_BUILDER_IMAGE);
    expect(value('HARDENED_IMAGE')).toBe(`${HARDENED_REPOSITORY}:${DISTROLESS_PYTHON}`);
    // The companion-service stand-ins carry the names analyze gives the services verify starts.
    const services = (value('SERVICE_STANDINS') ?? '').split(',').map((entry) => entry.split('@')[0]);
    expect(services).toEqual([DEFAULT_SERVICE_IMAGES.postgres, DEFAULT_SERVICE_IMAGES.redis]);
  });
});

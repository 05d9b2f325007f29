import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PYTHON_VERSION, pythonImage, UV_IMAGE, UV_VERSION } from '../../src/pins.js';
import { repoRoot } from '../helpers/cli.js';

describe('pins', () => {
  it('match the test bed, so the stand-ins carry the names the Dockerfile uses', () => {
    const text = readFileSync(join(repoRoot, 'scripts', 'testbed', 'pins.sh'), 'utf8');
    const value = (name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(text)?.[1];
    expect(value('UV_VERSION')).toBe(UV_VERSION);
    expect(value('PYTHON_IMAGE')).toBe(pythonImage(DEFAULT_PYTHON_VERSION));
    expect(value('UV_IMAGE')?.replace(/\$\{UV_VERSION\}/, UV_VERSION)).toBe(UV_IMAGE);
  });
});

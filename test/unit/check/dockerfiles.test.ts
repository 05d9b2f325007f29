import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../../src/check/runner.js';
import { fixturesRoot } from './helpers.js';

/**
 * Dockerfiles shaped like real Python services' (uv's documented patterns, a runtime base stage, a
 * server picked by ARG, uv's image with its entrypoint reset, a pip-era one): every SLW-D finding,
 * as `id:line`, is listed in expect.json next to it, and nothing else. Each of the false positives
 * once seen next to hadolint has its file here; hadolint reads the same files
 * (scripts/conformance/hadolint.mjs).
 */
const root = join(fixturesRoot, 'dockerfiles');

describe.each(readdirSync(root).sort())('the %s Dockerfile', (name) => {
  it('draws exactly the expected findings', () => {
    const text = readFileSync(join(root, name, 'Dockerfile'), 'utf8');
    const report = checkFiles({ dockerfiles: [{ path: 'Dockerfile', text }], manifests: [] });
    const found = report.findings
      .filter((finding) => finding.id.startsWith('SLW-D'))
      .map((finding) => `${finding.id}:${finding.location?.line}`);
    const expected = JSON.parse(readFileSync(join(root, name, 'expect.json'), 'utf8')) as string[];
    expect([...new Set(found)].sort()).toEqual(expected);
  });
});

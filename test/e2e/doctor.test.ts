import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('slipway doctor with the test bed up', () => {
  it('exits 0 and names the stand-in base images', async () => {
    const result = await runCli(['doctor']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok +container engine +docker \S+ \(client \S+, buildx \S+\)/m);
    expect(result.stdout).toMatch(/^ok +image python:3\.13-slim +present, local stand-in/m);
    expect(result.stdout).toMatch(/^ok +image ghcr\.io\/astral-sh\/uv:0\.13\.9 +present, local stand-in/m);
  });
});

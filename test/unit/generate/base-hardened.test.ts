import { describe, expect, it } from 'vitest';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { dockerfile } from '../../../src/generate/dockerfile.js';
import { generateFiles } from '../../../src/generate/index.js';
import { cases, model } from './models.js';

// Golden output with [tool.slipway] base = "hardened" (Docker Hardened Images). A change here is
// a change users see: review the snapshot diff, then update with `vitest run -u`.

function hardened(m: ProjectModel): ProjectModel {
  return { ...m, config: { ...m.config, base: 'hardened' } };
}

describe.each(['src-layout', 'flat-virtual'] as const)('base = "hardened": %s', (name) => {
  const files = generateFiles(hardened(cases[name] ?? model()));
  it('matches the golden Dockerfile and Deployment', async () => {
    await expect(files.Dockerfile).toMatchFileSnapshot(`__snapshots__/base-hardened/${name}/Dockerfile`);
    await expect(files['deploy/k8s/base/deployment.yaml']).toMatchFileSnapshot(
      `__snapshots__/base-hardened/${name}/deployment.yaml`,
    );
  });
});

describe('base = "hardened"', () => {
  it('builds on the -dev variant of the same tag, so the venv points at a path the runtime has', () => {
    const text = dockerfile(hardened(model()));
    expect(text).toContain('ARG PYTHON_VERSION=3.13\n');
    expect(text).toContain(`FROM dhi.io/python:\${PYTHON_VERSION}-dev AS builder`);
    expect(text).toMatch(/^FROM dhi\.io\/python:\$\{PYTHON_VERSION\}$/m);
    expect(text).not.toContain('UV_PYTHON=');
  });

  it('follows the project’s Python: dhi.io/python has every version', () => {
    const text = dockerfile(hardened(cases['flat-virtual'] ?? model()));
    expect(text).toContain('ARG PYTHON_VERSION=3.12\n');
  });

  it('installs build packages in the -dev builder, and refuses run-time ones', () => {
    const build = hardened(model({ native: { build: ['gcc'], runtime: [], reasons: ['x: gcc'] } }));
    expect(dockerfile(build)).toContain('apt-get install -y --no-install-recommends gcc\n');
    expect(() => dockerfile(hardened(cases['native-deps'] ?? model()))).toThrow(
      /base = "hardened" has no package manager/,
    );
  });
});

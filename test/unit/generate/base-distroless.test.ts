import { describe, expect, it } from 'vitest';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { ProjectError } from '../../../src/errors.js';
import { dockerfile } from '../../../src/generate/dockerfile.js';
import { generateFiles } from '../../../src/generate/index.js';
import { cases, model } from './models.js';

// Golden output with [tool.slipway] base = "distroless". A change here is a change users see:
// review the snapshot diff, then update with `vitest run -u`.

function distroless(m: ProjectModel, extra: Partial<ProjectModel['config']> = {}): ProjectModel {
  return { ...m, config: { ...m.config, base: 'distroless', ...extra } };
}

const GOLDEN = ['src-layout', 'factory', 'workspace-member'] as const;

describe.each(GOLDEN)('base = "distroless": %s', (name) => {
  const files = generateFiles(distroless(cases[name] ?? model()));
  it('matches the golden Dockerfile and Deployment', async () => {
    await expect(files.Dockerfile).toMatchFileSnapshot(`__snapshots__/base-distroless/${name}/Dockerfile`);
    await expect(files['deploy/k8s/base/deployment.yaml']).toMatchFileSnapshot(
      `__snapshots__/base-distroless/${name}/deployment.yaml`,
    );
  });
});

describe('base = "distroless"', () => {
  const text = dockerfile(distroless(model()));

  it('builds the venv on Debian trixie for /usr/bin/python3.13, the final image’s interpreter', () => {
    expect(text).toContain('FROM debian:trixie-slim AS builder');
    expect(text).toContain('ENV UV_PYTHON=/usr/bin/python3.13\n');
    expect(text).toMatch(/apt-get install -y --no-install-recommends python3\.13\n/);
    expect(text).toContain('UV_PYTHON_DOWNLOADS=0');
    // A global ARG does not reach a stage's ENV or RUN: the version there is written out.
    expect(text).not.toMatch(/^(ENV|RUN).*\$\{PYTHON_VERSION\}/m);
    expect(text).toContain('FROM gcr.io/distroless/python3-debian13:nonroot\n');
    expect(text).not.toContain(`python:\${PYTHON_VERSION}-slim`);
  });

  it("compiles the final image's own standard library in the builder, into the zip first on sys.path", () => {
    expect(text).toContain(
      'COPY --from=gcr.io/distroless/python3-debian13:nonroot /usr/lib/python3.13 /stdlib/src\n',
    );
    expect(text).toContain('python3.13 -m compileall -q -b -j0 -d /usr/lib/python3.13 /stdlib/src');
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toContain('COPY --from=builder --chown=0:0 /stdlib/stdlib.zip /usr/lib/python313.zip\n');
    // Only distroless: the hardened builder is the runtime image's own -dev variant.
    expect(dockerfile({ ...model(), config: { ...model().config, base: 'hardened' } })).not.toContain(
      'stdlib',
    );
  });

  it('adds the Python headers next to the compilers a dependency without a wheel needs', () => {
    const native = distroless(model({ native: { build: ['gcc'], runtime: [], reasons: ['x: gcc'] } }));
    expect(dockerfile(native)).toContain(
      'apt-get install -y --no-install-recommends python3.13 libpython3.13-dev gcc\n',
    );
  });

  it('stops, naming the fix, for a Python other than 3.13', () => {
    const old = distroless(
      model({
        python: {
          version: '3.12',
          source: '.python-version',
          requiresPython: '>=3.12',
          image: 'python:3.12-slim',
        },
      }),
    );
    expect(() => dockerfile(old)).toThrow(ProjectError);
    expect(() => dockerfile(old)).toThrow(/needs Python 3\.13 .*uses Python 3\.12 \(from \.python-version\)/);
    try {
      dockerfile(old);
    } catch (error) {
      expect((error as ProjectError).fix).toMatch(/base = "hardened".*"slim"/);
    }
  });

  it('stops when the app needs Debian packages at run time: distroless has no apt', () => {
    const needs = distroless(cases['native-deps'] ?? model());
    expect(() => generateFiles(needs)).toThrow(/has no package manager, so the Debian packages libpq5, tini/);
  });

  it('leaves the default (slim) Dockerfile as it was', () => {
    expect(dockerfile(model())).toBe(dockerfile({ ...model(), config: { ...model().config, base: 'slim' } }));
    expect(dockerfile(model())).toContain(`FROM python:\${PYTHON_VERSION}-slim AS builder`);
  });
});

import { describe, expect, it } from 'vitest';
import { ProjectError } from '../../../src/errors.js';
import { dockerfile, uvicornCommand } from '../../../src/generate/dockerfile.js';
import { buildContext } from '../../../src/generate/index.js';
import { UV_VERSION } from '../../../src/pins.js';
import { cases, model } from './models.js';

/** The instructions of the stage that starts at the n-th FROM (comments and blanks dropped). */
function stages(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('FROM ')) out.push([]);
    if (line.trim() && !line.trim().startsWith('#')) out.at(-1)?.push(line);
  }
  return out;
}

function finalStage(text: string): string {
  return (stages(text).at(-1) ?? []).join('\n');
}

const src = dockerfile(model());

describe('Dockerfile', () => {
  it('pins Python and uv through ARGs and has no syntax line (it would pull an image)', () => {
    expect(src).toContain('ARG PYTHON_VERSION=3.13\n');
    expect(src).toContain(`ARG UV_VERSION=${UV_VERSION}\n`);
    expect(src).toContain(`FROM ghcr.io/astral-sh/uv:\${UV_VERSION} AS uv`);
    expect(src).toContain(`FROM python:\${PYTHON_VERSION}-slim AS builder`);
    expect(src).not.toMatch(/^# *syntax=/m);
  });

  it('installs dependencies first, from the bind-mounted lock, with a uv cache mount', () => {
    const deps = src.indexOf('uv sync --locked --no-install-project --no-dev');
    expect(deps).toBeGreaterThan(0);
    expect(src.indexOf('--mount=type=bind,source=uv.lock,target=uv.lock')).toBeLessThan(deps);
    expect(src.indexOf('--mount=type=bind,source=pyproject.toml,target=pyproject.toml')).toBeLessThan(deps);
    expect(src.indexOf('COPY src/shop src/shop')).toBeGreaterThan(deps);
    expect(src).toContain('uv sync --locked --no-dev --no-editable');
    expect(src).toContain('ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=0');
  });

  it('keeps uv and uvx out of the final stage, which holds only the root-owned venv', () => {
    const last = finalStage(src);
    expect(last).not.toMatch(/uvx|--from=uv\b/);
    expect(last).toContain('COPY --from=builder --chown=0:0 /app/.venv /app/.venv');
    expect(last).not.toMatch(/chown -R/);
  });

  it('runs as a numeric user created with no shell and no home', () => {
    const last = finalStage(src);
    expect(last).toMatch(/^USER 10001:10001$/m);
    expect(last).toContain('--no-create-home');
    expect(last).toContain('--shell /usr/sbin/nologin');
    const custom = finalStage(dockerfile(cases['custom-port-user'] ?? model()));
    expect(custom).toMatch(/^USER 20000:20001$/m);
    expect(custom).toContain('groupadd --system --gid 20001 app');
  });

  it('exposes the port, health-checks the liveness route with python and reads host/port from UVICORN_*', () => {
    expect(src).toMatch(/^EXPOSE 8000$/m);
    expect(src).toMatch(/^HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3/m);
    expect(src).toContain(`CMD ["python", "-c", "import os, urllib.request;`);
    expect(src).toContain("+ '/health/live', timeout=4)");
    expect(src).toContain('UVICORN_HOST=0.0.0.0');
    expect(src).toContain('UVICORN_PORT=8000');
    expect(stages(src).flat().join('\n')).not.toMatch(/curl|wget/);
  });

  it('starts uvicorn in exec form with proxy headers and the graceful timeout', () => {
    expect(src).toContain(
      'CMD ["uvicorn", "shop.main:app", "--proxy-headers", "--forwarded-allow-ips", "*", "--timeout-graceful-shutdown", "20"]',
    );
    expect(uvicornCommand(cases.factory ?? model())).toEqual([
      'uvicorn',
      'factoryapp.app:create_app',
      '--proxy-headers',
      '--forwarded-allow-ips',
      '*',
      '--timeout-graceful-shutdown',
      '20',
      '--factory',
      '--workers',
      '2',
    ]);
  });

  it('labels the image with OCI labels from ARGs declared after the last RUN', () => {
    const last = finalStage(src);
    for (const key of ['title', 'description', 'version', 'revision', 'created', 'source']) {
      expect(last).toContain(`org.opencontainers.image.${key}=`);
    }
    expect(last.lastIndexOf('RUN ')).toBeLessThan(last.indexOf('ARG REVISION='));
    expect(dockerfile(cases.factory ?? model())).toContain(
      'org.opencontainers.image.authors="Platform Team <platform@example.com>"',
    );
  });

  it('escapes label values that Docker would expand', () => {
    const text = dockerfile(model({ description: 'costs $5, says "hi"' }));
    expect(text).toContain('org.opencontainers.image.description="costs \\$5, says \\"hi\\""');
  });

  it("copies a virtual project's sources into the final stage and puts them on PYTHONPATH", () => {
    const text = dockerfile(cases['flat-virtual'] ?? model());
    expect(text).not.toContain('--no-editable');
    const last = finalStage(text);
    expect(last).toContain('COPY --chown=0:0 app /app/app');
    expect(last).toContain('PYTHONPATH=/app');
  });

  it('builds a workspace member from the workspace root with the lock of the root', () => {
    const text = dockerfile(cases['workspace-member'] ?? model());
    expect(text).toContain('uv sync --frozen --no-install-workspace --no-dev --package api');
    expect(text).toContain('uv sync --locked --no-dev --no-editable --package api');
    expect(text).toContain('docker buildx build -f services/api/Dockerfile');
    expect(buildContext(cases['workspace-member'] ?? model())).toEqual({
      context: '/projects/platform',
      dockerfile: '/projects/platform/services/api/Dockerfile',
    });
  });

  it('installs build packages in the builder and runtime libraries in the final stage, sorted and once', () => {
    const all = stages(dockerfile(cases['native-deps'] ?? model())).map((s) => s.join('\n'));
    const [, builder] = all;
    const last = all.at(-1);
    expect(builder).toContain('apt-get install -y --no-install-recommends gcc libpq-dev');
    expect(builder).toContain('--mount=type=cache,target=/var/lib/apt,sharing=locked');
    expect(last).toContain('apt-get install -y --no-install-recommends libpq5 tini');
    expect(last).not.toContain('libpq-dev');
    expect(src).not.toContain('apt-get');
  });

  it('gives the final image the dependencies and the project as two layers, the project from its own stage', () => {
    const all = stages(src);
    const arg = (name: string) => `\${${name}}`;
    expect(all.map((stage) => stage[0])).toEqual([
      `FROM ghcr.io/astral-sh/uv:${arg('UV_VERSION')} AS uv`,
      `FROM python:${arg('PYTHON_VERSION')}-slim AS builder`,
      'FROM builder AS project',
      `FROM python:${arg('PYTHON_VERSION')}-slim`,
    ]);
    const [, builder = '', project = ''] = all.map((stage) => stage.join('\n'));
    // The dependency layer holds no lock file and nothing of the project.
    expect(builder).toContain('uv sync --locked --no-install-project --no-dev && rm -f /app/.venv/.lock');
    expect(builder).not.toContain('--no-editable');
    // The project stage lists the environment, syncs, and copies only what the sync added or rewrote.
    expect(project).toContain('SHELL ["/bin/bash", "-o", "pipefail", "-c"]');
    const run = project.slice(project.indexOf('RUN '));
    const order = [
      'sort > /tmp/deps-files',
      'uv sync --locked --no-dev --no-editable',
      'comm -13 /tmp/deps-files',
      'cp -a --parents -t /project',
    ];
    const at = order.map((part) => run.indexOf(part));
    expect(at.every((index) => index >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const last = finalStage(src);
    expect(last).toContain('COPY --from=builder --chown=0:0 /app/.venv /app/.venv');
    expect(last).toContain('COPY --from=project --chown=0:0 /project/ /');
    expect(last.indexOf('/app/.venv /app/.venv')).toBeLessThan(last.indexOf('/project/ /'));
  });

  it('keeps the secret variables on the uv command when the project stage lists files first', () => {
    const secret = {
      id: 'uv-index-internal-password',
      env: 'UV_INDEX_INTERNAL_PASSWORD',
      why: 'index internal',
    };
    const text = dockerfile(model({ buildSecrets: [secret] }));
    const project = (stages(text)[2] ?? []).join('\n');
    expect(project).toContain(
      'find /app/.venv ! -type d | sort > /tmp/deps-files \\\n    && for id in uv-index-internal-password;',
    );
    // The assignment is the prefix of uv sync, not of the listing.
    expect(project).toMatch(
      /UV_INDEX_INTERNAL_PASSWORD="\$\(cat \/run\/secrets\/uv-index-internal-password\)" \\\n\s+uv sync --locked --no-dev --no-editable/,
    );
  });

  it('has no project stage for a virtual project, and a workspace member gets one', () => {
    const virtual = dockerfile(cases['flat-virtual'] ?? model());
    expect(virtual).not.toContain('AS project');
    expect(virtual).not.toContain('--from=project');
    const member = dockerfile(cases['workspace-member'] ?? model());
    const project = (stages(member)[2] ?? []).join('\n');
    expect(project).toMatch(/^FROM builder AS project/);
    expect(project).toContain('COPY . .');
    expect(finalStage(member)).toContain('COPY --from=project --chown=0:0 /project/ /');
  });

  it('refuses an apt package name that would be shell syntax', () => {
    const bad = model({ config: { apt: { build: ['gcc; rm -rf /'], runtime: [] } } });
    expect(() => dockerfile(bad)).toThrow(ProjectError);
  });
});

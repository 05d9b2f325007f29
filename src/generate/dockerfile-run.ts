import type { ProjectModel } from '../analyze/model.js';
import { finalStageSources } from '../analyze/packaging.js';
import { type BuildLayout, continued, envBlock, execForm, inApp, livenessPath } from './common.js';

/**
 * The run-time half of a final stage that every base shares: the OCI labels, the exec-form
 * HEALTHCHECK (python, which every base has; no shell, no curl) and the uvicorn command.
 */

/** A reference to a build ARG, `${NAME}`, expanded by Docker (not by this template). */
export function arg(name: string): string {
  return `\${${name}}`;
}

/**
 * The app's own files beside the venv: a virtual project runs from its sources; a packaged one from
 * its wheel, plus any source the app imports that the wheel leaves out (both imported through
 * PYTHONPATH), and the files the app opens at run time. All root-owned, read-only.
 */
export function appCopies(model: ProjectModel, layout: BuildLayout): string[] {
  const lines: string[] = [];
  const { copied } = finalStageSources(model);
  const copy = (path: string) => `COPY --chown=0:0 ${layout.prefix}${path} ${inApp(layout, path)}`;
  if (copied.length > 0) {
    lines.push(
      model.packaged
        ? `# The wheel does not install ${copied.join(', ')}, which the app imports: copied, on PYTHONPATH below.`
        : '# A virtual project runs from its sources, imported through PYTHONPATH below.',
      ...copied.map(copy),
    );
  }
  const files = (model.runtimeFiles ?? []).map((f) => f.path);
  if (files.length > 0)
    lines.push('# Files the app opens at run time: root-owned, read-only.', ...files.map(copy));
  return lines;
}

/** The ENV block of the final stage: the venv first on PATH, Python's output and uvicorn's address. */
export function runtimeEnv(model: ProjectModel, layout: BuildLayout): string[] {
  const { roots } = finalStageSources(model);
  const env = [
    'PATH=/app/.venv/bin:$PATH',
    '# Logs reach `docker logs` / `kubectl logs` at once; no .pyc written on a read-only filesystem.',
    'PYTHONUNBUFFERED=1',
    'PYTHONDONTWRITEBYTECODE=1',
  ];
  if (roots.length > 0) env.push(`PYTHONPATH=${roots.map((root) => inApp(layout, root)).join(':')}`);
  env.push(
    '# uvicorn reads UVICORN_* variables: Kubernetes (or docker run -e) can change them without a rebuild.',
    'UVICORN_HOST=0.0.0.0',
    `UVICORN_PORT=${model.config.port}`,
  );
  return envBlock(env);
}

/** A LABEL value in double quotes: Docker expands `$` there, so it is escaped along with quotes. */
function quoted(value: string): string {
  return `"${value.replace(/\s+/g, ' ').replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

export function labels(model: ProjectModel): string[] {
  const pairs: [string, string][] = [
    ['org.opencontainers.image.title', quoted(model.name)],
    ['org.opencontainers.image.description', quoted(model.description ?? model.name)],
    ['org.opencontainers.image.version', `"${arg('VERSION')}"`],
    ['org.opencontainers.image.revision', `"${arg('REVISION')}"`],
    ['org.opencontainers.image.created', `"${arg('CREATED')}"`],
    ['org.opencontainers.image.source', `"${arg('SOURCE')}"`],
  ];
  if (model.config.maintainer)
    pairs.push(['org.opencontainers.image.authors', quoted(model.config.maintainer)]);
  return [
    '# OCI labels. Declared after every RUN so that a new revision or date does not invalidate cached',
    '# layers. `slipway build` passes REVISION (git commit) and CREATED (RFC 3339 time) as --build-arg.',
    `ARG VERSION=${model.version}`,
    'ARG REVISION=',
    'ARG CREATED=',
    `ARG SOURCE=${model.config.source ?? ''}`,
    ...continued(
      `LABEL ${pairs[0]?.[0]}=${pairs[0]?.[1]}`,
      pairs.slice(1).map(([key, value]) => `${key}=${value}`),
      '      ',
    ),
  ];
}

const SLIM_HEALTH_WHY = 'python, because slim has no curl';

/** `why`: why the probe is a python one-liner on this base. */
export function healthcheck(model: ProjectModel, why = SLIM_HEALTH_WHY): string[] {
  const path = livenessPath(model);
  if (!path) return answersBelow500(model, why);
  // The port comes from UVICORN_PORT at run time, so the check follows an override of it.
  const probe = [
    'python',
    '-c',
    `import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('UVICORN_PORT', '${model.config.port}') + '${path}', timeout=4)`,
  ];
  return [
    `# Docker's own health state (Kubernetes uses its probes instead). ${why};`,
    '# urlopen raises, so the check fails, on a connection error or any 4xx/5xx answer.',
    ...continued('HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3', [
      `CMD ${execForm(probe)}`,
    ]),
  ];
}

/**
 * Without a health route: alive when the port accepts and the app answers HTTP below 500 on its
 * OpenAPI document (else `/`), as verify judges it; a 404 from an app without `/` still counts.
 */
function answersBelow500(model: ProjectModel, why: string): string[] {
  const path = model.app.openapiPath === undefined ? '/openapi.json' : (model.app.openapiPath ?? '/');
  const probe = [
    'python',
    '-c',
    `import os, http.client as h; c = h.HTTPConnection('127.0.0.1', int(os.environ.get('UVICORN_PORT', '${model.config.port}')), timeout=4); c.request('GET', '${path}'); raise SystemExit(c.getresponse().status >= 500)`,
  ];
  return [
    `# Docker's own health state (Kubernetes uses its probes instead). ${why}. No health route was`,
    `# found: alive when GET ${path} answers below 500 (a refused connection or a 5xx fails it);`,
    '# a health route of its own (`@app.get("/healthz")`) would say more.',
    ...continued('HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3', [
      `CMD ${execForm(probe)}`,
    ]),
  ];
}

export function cmdComment(model: ProjectModel): string[] {
  return [
    '# Exec form: uvicorn is PID 1 and gets SIGTERM itself; host and port come from UVICORN_*.',
    model.app.factory
      ? `# ${model.app.module}:${model.app.attribute} is a function that returns the app (--factory calls it).`
      : `# ${model.app.module}:${model.app.attribute} is the ASGI app (module:attribute).`,
    '# --proxy-headers, --forwarded-allow-ips: trust X-Forwarded-* from the ingress or load balancer.',
    "# --timeout-graceful-shutdown: seconds for requests in flight after SIGTERM; the pod's grace",
    '# period is longer.',
    ...(model.config.workers > 1
      ? [`# --workers: ${model.config.workers} processes in this container.`]
      : []),
  ];
}

/** The exec-form command: uvicorn is PID 1 and receives SIGTERM itself. */
export function uvicornCommand(model: ProjectModel): string[] {
  const command = [
    'uvicorn',
    `${model.app.module}:${model.app.attribute}`,
    // Behind an ingress or load balancer: trust X-Forwarded-* so the app sees the client's scheme.
    '--proxy-headers',
    '--forwarded-allow-ips',
    '*',
    // Kubernetes' terminationGracePeriodSeconds is longer than this, so requests in flight finish.
    '--timeout-graceful-shutdown',
    String(model.config.gracefulTimeout),
  ];
  if (model.app.factory) command.push('--factory');
  if (model.config.workers > 1) command.push('--workers', String(model.config.workers));
  return command;
}

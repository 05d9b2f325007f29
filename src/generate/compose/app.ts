import { relative, sep } from 'node:path';
import type { ProjectModel } from '../../analyze/model.js';
import { imageTag, livenessPath, resourceName } from '../common.js';
import { buildContext } from '../index.js';
import type { Json } from '../k8s/objects.js';
import { APP_SERVICE, type Companion, MIGRATE_SERVICE } from './companions.js';
import type { AppSettings } from './settings.js';

/**
 * The app and its migration as compose services: one image built from the Dockerfile slipway
 * builds (the same context and file), run with the pod's restrictions: read-only root, a tmpfs
 * on /tmp (the pod's emptyDir), no capabilities, no privilege escalation, the numeric user.
 */

const toPosix = (path: string) => path.split(sep).join('/');

/**
 * Its own tag, not the one `slipway build` gives (`shop:1.4.0`): compose builds without the
 * labels verify reads, and must not replace slipway's image under that name. Never pushed, so no
 * registry in it.
 */
export function composeImage(model: ProjectModel): string {
  // A tag is at most 128 characters: room for the suffix.
  return `${model.config.image.name ?? resourceName(model)}:${imageTag(model.version).slice(0, 120)}-compose`;
}

function build(model: ProjectModel): Json {
  const { context, dockerfile } = buildContext(model);
  const section: Record<string, Json> = {
    context: toPosix(relative(model.root, context)) || '.',
    dockerfile: toPosix(relative(context, dockerfile)),
  };
  // slipway's Dockerfile labels the image with its version; one of the project's own may take no such ARG.
  if (model.dockerfile?.origin !== 'own') section.args = { VERSION: model.version };
  const secrets = model.buildSecrets ?? [];
  if (secrets.length > 0) section.secrets = secrets.map((secret) => secret.id);
  return section;
}

/** The private indexes' credentials, from the environment of whoever runs compose (never a file here). */
export function buildSecrets(model: ProjectModel): Json | undefined {
  const secrets = model.buildSecrets ?? [];
  if (secrets.length === 0) return undefined;
  return Object.fromEntries(secrets.map((secret) => [secret.id, { environment: secret.env }]));
}

/**
 * The image's HEALTHCHECK, repeated in exec form so that a Dockerfile of the project's own
 * without one is checked too: python (every base has it; slim has no curl, distroless no shell),
 * GET the liveness route, or without one an answer below 500 from the OpenAPI document.
 */
function healthcheck(model: ProjectModel): Json {
  const port = model.config.port;
  const live = livenessPath(model);
  const openapi = model.app.openapiPath === undefined ? '/openapi.json' : (model.app.openapiPath ?? '/');
  const probe = live
    ? `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}${live}', timeout=4)`
    : `import http.client as h; c = h.HTTPConnection('127.0.0.1', ${port}, timeout=4); c.request('GET', '${openapi}'); raise SystemExit(c.getresponse().status >= 500)`;
  return {
    test: ['CMD', 'python', '-c', probe.replaceAll('$', '$$$$')],
    interval: '10s',
    timeout: '5s',
    retries: 3,
    start_period: '20s',
  };
}

/** The restrictions of the pod's securityContext, as compose says them. */
function restricted(model: ProjectModel): Record<string, Json> {
  return {
    user: `${model.config.uid}:${model.config.gid}`,
    read_only: true,
    tmpfs: ['/tmp'],
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
  };
}

function settingsOf(settings: AppSettings): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (Object.keys(settings.environment).length > 0) out.environment = { ...settings.environment };
  // Secret settings never appear here: .env beside this file holds them (keep it out of git).
  if (settings.fromDotenv.length > 0) out.env_file = ['.env'];
  return out;
}

const healthy = (services: readonly Companion[]) =>
  Object.fromEntries(services.map((s) => [s.name, { condition: 'service_healthy' }]));

export function migrateService(
  model: ProjectModel,
  settings: AppSettings,
  services: readonly Companion[],
): Json | undefined {
  const command = model.migrations?.command ?? [];
  if (command.length === 0) return undefined;
  return {
    build: build(model),
    image: composeImage(model),
    // As the Job's `command`: it replaces the image's ENTRYPOINT (and its CMD), the step runs as written.
    entrypoint: command.map((word) => word.replaceAll('$', '$$$$')),
    restart: 'no',
    ...settingsOf(settings),
    ...restricted(model),
    ...(services.length > 0 ? { depends_on: healthy(services) } : {}),
  };
}

export function appService(
  model: ProjectModel,
  settings: AppSettings,
  services: readonly Companion[],
  migrates: boolean,
): Json {
  const port = model.config.port;
  const dependsOn: Record<string, Json> = healthy(services);
  if (migrates) dependsOn[MIGRATE_SERVICE] = { condition: 'service_completed_successfully' };
  return {
    build: build(model),
    image: composeImage(model),
    restart: 'unless-stopped',
    // On this machine's loopback only: a local run is not a way into the app from the network.
    ports: [{ target: port, host_ip: '127.0.0.1', published: String(port), protocol: 'tcp' }],
    ...settingsOf(settings),
    ...restricted(model),
    healthcheck: healthcheck(model),
    // uvicorn's graceful timeout, plus a margin: compose's default (10 s) would cut requests short.
    stop_grace_period: `${model.config.gracefulTimeout + 5}s`,
    ...(Object.keys(dependsOn).length > 0 ? { depends_on: dependsOn } : {}),
  };
}

export { APP_SERVICE };

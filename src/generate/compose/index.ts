import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COMPOSE_FILES } from '../../adopt/compose.js';
import type { ProjectModel } from '../../analyze/model.js';
import { ProjectError } from '../../errors.js';
import { resourceName } from '../common.js';
import type { Json } from '../k8s/objects.js';
import { APP_SERVICE, appService, buildSecrets, composeImage, migrateService } from './app.js';
import { type Companion, companions, MIGRATE_SERVICE } from './companions.js';
import { type AppSettings, appSettings } from './settings.js';
import { composeYaml } from './yaml.js';

/**
 * `compose.yaml` for a local run (`docker compose up --build`): the app built from the Dockerfile
 * slipway builds, with the pod's restrictions, its databases and caches, and its migration run
 * once before it starts. Written at the project root; for a workspace member that is the member's
 * folder (slipway writes inside the project, and compose follows a context of `../..` as well as
 * `.`), so it sits beside the member's pyproject.toml and manifests.
 */
export const COMPOSE_FILE = 'compose.yaml';

/**
 * Compose reads compose.yaml before any other name: one written beside a docker-compose.yml of
 * the project's own would silently take its place. (A compose.yaml of its own is the write step's
 * business: no slipway marker, so it is never replaced without --force.)
 */
function refuseBesideOwn(model: ProjectModel): void {
  const own = COMPOSE_FILES.filter((name) => name !== COMPOSE_FILE).find((name) =>
    existsSync(join(model.root, name)),
  );
  if (!own) return;
  throw new ProjectError(
    `${model.root} has a compose file of its own, ${own}; docker compose would read slipway's ${COMPOSE_FILE} instead of it`,
    {
      fix: `leave compose out of --with (and of [tool.slipway] outputs), or rename ${own} to ${COMPOSE_FILE} and let slipway init --with compose --force replace it`,
    },
  );
}

function header(model: ProjectModel, settings: AppSettings, services: readonly Companion[]): string {
  const dotenv = [
    ...services.flatMap((s) =>
      s.passwordVariable ? [`${s.passwordVariable} (the ${s.name} password)`] : [],
    ),
    ...settings.fromDotenv.map((v) => `${v.name} (${v.required ? 'required' : 'optional'} secret)`),
    ...settings.unset.map((name) => `${name} (required, no default or example)`),
  ];
  const lines = [
    `${model.name} on this machine: \`docker compose up --build\`, then http://127.0.0.1:${model.config.port}/`,
    `The image is built as ${composeImage(model)}, apart from what \`slipway build\` tags, and runs`,
    `as the pod does: read-only root, /tmp in memory, no capabilities, user ${model.config.uid}:${model.config.gid}.`,
  ];
  if (model.migrations) {
    lines.push(
      `${MIGRATE_SERVICE} runs the migration once, before ${APP_SERVICE} starts: ${model.migrations.command.join(' ')}`,
      `(found in ${model.migrations.why}).`,
    );
  }
  if (dotenv.length === 0) {
    lines.push('No secret is needed: nothing is read from .env.');
  } else {
    lines.push(
      'Secrets are never written here: compose reads them from .env beside this file (keep it out of',
      'git), or from your shell. Set:',
      ...dotenv.map((entry) => `  ${entry}`),
    );
  }
  return lines.join('\n');
}

export function composeFile(model: ProjectModel): Record<string, string> {
  refuseBesideOwn(model);
  const services = companions(model);
  const settings = appSettings(model, services);
  const migrate = migrateService(model, settings, services);
  const all: Record<string, Json> = {};
  for (const companion of services) all[companion.name] = companion.service;
  if (migrate) all[MIGRATE_SERVICE] = migrate;
  all[APP_SERVICE] = appService(model, settings, services, migrate !== undefined);
  const file: Record<string, Json> = { name: resourceName(model), services: all };
  if (services.length > 0) file.volumes = Object.fromEntries(services.map((s) => [s.volume, {}]));
  const secrets = buildSecrets(model);
  if (secrets) file.secrets = secrets;
  return { [COMPOSE_FILE]: composeYaml(file, header(model, settings, services)) };
}

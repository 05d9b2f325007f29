import { posix } from 'node:path';
import type { CompanionService, MigrationStep, ProjectModel, SettingsClass } from '../analyze/model.js';
import { livenessPath, readinessPath } from '../generate/common.js';

/**
 * What verify needs to know about an image, written on it as labels at build time, so that
 * `slipway verify IMAGE` works where only the image is at hand. Names and types only: no
 * setting's value or default ever goes into a label (anyone who can pull the image reads them).
 */
export const VERIFY_LABEL = 'io.slipway.verify';

export interface ImageFacts {
  readonly port: number;
  readonly uid: number;
  readonly gid: number;
  readonly liveness: string | undefined;
  readonly readiness: string | undefined;
  readonly appModule: string | undefined;
  readonly gracefulTimeoutSeconds: number;
  readonly sizeBudgetMb: number;
  readonly settings: readonly LabelledSettings[];
  /** `GET /items/{id}`; undefined when the label left them out. */
  readonly routes: readonly string[] | undefined;
  /** Where the OpenAPI document is served; null when the app disables it. */
  readonly openapiPath: string | null;
  /** Companion services verify starts beside the app (kinds, images, the settings' names). */
  readonly services: readonly CompanionService[];
  /** The migration verify runs before the app starts. */
  readonly migration: MigrationStep | undefined;
}

export interface LabelledSettings {
  readonly importPath: string;
  readonly vars: readonly {
    readonly name: string;
    readonly field: string;
    readonly type: string;
    readonly secret: boolean;
    readonly required: boolean;
  }[];
}

/** More routes than this are left out of the label (verify then compares none). */
const MAX_ROUTES = 400;

export function factsFromModel(model: ProjectModel): ImageFacts {
  return {
    port: model.config.port,
    uid: model.config.uid,
    gid: model.config.gid,
    liveness: livenessPath(model),
    readiness: readinessPath(model),
    appModule: model.app.module,
    gracefulTimeoutSeconds: model.config.gracefulTimeout,
    sizeBudgetMb: model.config.sizeBudgetMb,
    settings: model.settings.classes.map((cls) => ({
      importPath: `${moduleOf(cls, model.sourceRoots)}:${cls.name}`,
      vars: model.settings.env
        .filter((v) => v.settingsClass === cls.name)
        .map(({ name, field, type, secret, required }) => ({ name, field, type, secret, required })),
    })),
    routes: model.routes.map((route) => `${route.method} ${route.path}`),
    openapiPath: model.app.openapiPath === undefined ? '/openapi.json' : model.app.openapiPath,
    // The compose healthcheck is left out: written by hand, it may hold a password (`redis-cli -a ...`).
    services: (model.services ?? []).map(({ composeHealthcheck: _, ...service }) => service),
    migration: model.migrations,
  };
}

export function factsToLabels(facts: ImageFacts): Record<string, string> {
  const labels: Record<string, string> = {
    [`${VERIFY_LABEL}.port`]: String(facts.port),
    [`${VERIFY_LABEL}.user`]: `${facts.uid}:${facts.gid}`,
    [`${VERIFY_LABEL}.graceful-timeout`]: String(facts.gracefulTimeoutSeconds),
    [`${VERIFY_LABEL}.size-budget-mb`]: String(facts.sizeBudgetMb),
    [`${VERIFY_LABEL}.settings`]: JSON.stringify(facts.settings),
  };
  if (facts.liveness) labels[`${VERIFY_LABEL}.liveness`] = facts.liveness;
  if (facts.readiness) labels[`${VERIFY_LABEL}.readiness`] = facts.readiness;
  if (facts.appModule) labels[`${VERIFY_LABEL}.app-module`] = facts.appModule;
  if (facts.routes && facts.routes.length <= MAX_ROUTES)
    labels[`${VERIFY_LABEL}.routes`] = JSON.stringify(facts.routes);
  labels[`${VERIFY_LABEL}.openapi-path`] = facts.openapiPath ?? 'none';
  // Kinds, images, ports and settings' names: what a service is and how the app finds it, no value.
  if (facts.services.length > 0) labels[`${VERIFY_LABEL}.services`] = JSON.stringify(facts.services);
  if (facts.migration) labels[`${VERIFY_LABEL}.migration`] = JSON.stringify(facts.migration);
  return labels;
}

/** The facts an image carries; undefined when it has no verify labels (not built by slipway). */
export function factsFromLabels(labels: Readonly<Record<string, string>>): ImageFacts | undefined {
  const get = (key: string) => labels[`${VERIFY_LABEL}.${key}`];
  const port = Number(get('port'));
  const [uid, gid] = (get('user') ?? '').split(':').map(Number);
  if (!Number.isInteger(port) || port <= 0 || !Number.isInteger(uid) || !Number.isInteger(gid))
    return undefined;
  const json = <T>(key: string, fallback: T): T => {
    try {
      return (JSON.parse(get(key) ?? '') as T) ?? fallback;
    } catch {
      return fallback;
    }
  };
  const settings = json<LabelledSettings[]>('settings', []);
  const routes = json<string[] | undefined>('routes', undefined);
  const services = json<CompanionService[]>('services', []);
  const migration = json<MigrationStep | undefined>('migration', undefined);
  const openapi = get('openapi-path');
  return {
    port,
    uid: uid as number,
    gid: gid as number,
    liveness: get('liveness'),
    readiness: get('readiness'),
    appModule: get('app-module'),
    gracefulTimeoutSeconds: Number(get('graceful-timeout') ?? 20) || 20,
    sizeBudgetMb: Number(get('size-budget-mb') ?? 300) || 300,
    settings: Array.isArray(settings) ? settings : [],
    routes: Array.isArray(routes) ? routes : undefined,
    // Images built before this label: the FastAPI default.
    openapiPath: openapi === 'none' ? null : (openapi ?? '/openapi.json'),
    services: Array.isArray(services) ? services : [],
    migration: migration && Array.isArray(migration.command) ? migration : undefined,
  };
}

/** `src/inventory_api/settings.py` with source root `src` → `inventory_api.settings`. */
export function moduleOf(cls: Pick<SettingsClass, 'file'>, sourceRoots: readonly string[]): string {
  let file = posix.normalize(cls.file.replaceAll('\\', '/'));
  const roots = [...sourceRoots].map((root) => posix.normalize(root)).sort((a, b) => b.length - a.length);
  for (const root of roots) {
    if (root !== '.' && file.startsWith(`${root}/`)) {
      file = file.slice(root.length + 1);
      break;
    }
  }
  const parts = file.replace(/\.py$/, '').split('/');
  if (parts.at(-1) === '__init__') parts.pop();
  return parts.join('.');
}

import { posix } from 'node:path';
import type { EnvVar, ProjectModel, SettingsClass } from '../analyze/model.js';

/**
 * What verify expects of an image: where it listens, as whom, which routes answer, which settings
 * it reads. Derived from a ProjectModel (targetFromModel) or defaulted for a bare image.
 */
export interface VerifyTarget {
  /** Port the app listens on inside the container. @default 8000 */
  readonly port: number;
  /** The pod's numeric user and group (the generated securityContext). @default 10001:10001 */
  readonly uid: number;
  readonly gid: number;
  readonly health: {
    /** @default /healthz */
    readonly liveness: string;
    /** @default the liveness path */
    readonly readiness: string;
  };
  /** Where the OpenAPI document is served; undefined when the app disables it. @default /openapi.json */
  readonly openapiPath: string | undefined;
  /** Dotted module of the app (e.g. `inventory_api.main`): whose code must not be writable. */
  readonly appModule: string | undefined;
  readonly settings: readonly SettingsTarget[];
  /** uvicorn --timeout-graceful-shutdown, seconds. @default 20 */
  readonly gracefulTimeoutSeconds: number;
  /** The pod's terminationGracePeriodSeconds: SIGTERM to exit must fit in it. @default graceful + 10 */
  readonly gracePeriodSeconds: number;
  /** @default 300 */
  readonly sizeBudgetMb: number;
  /** From `docker run` to the first 200 of the liveness route. @default 30 */
  readonly startDeadlineSeconds: number;
  /** Upper bound of the wait for the HEALTHCHECK to turn healthy. @default 60 */
  readonly healthDeadlineSeconds: number;
  /** A route that keeps a request in flight for a while, used to test graceful shutdown. */
  readonly slowPath: string | undefined;
  /** Printed by the app when its lifespan shutdown ran (uvicorn's own line). */
  readonly shutdownLogPattern: RegExp;
}

/** One settings class and the environment variables it reads. */
export interface SettingsTarget {
  /** `module:Class`, imported inside the running container. */
  readonly importPath: string;
  readonly vars: readonly SettingsVar[];
}

export interface SettingsVar {
  /** Environment variable name, e.g. `INVENTORY_API_KEY`. */
  readonly name: string;
  /** Attribute of the settings instance that holds the value. */
  readonly field: string;
  /** Python annotation as written: decides which test value is safe to supply. */
  readonly type: string;
  readonly secret: boolean;
  readonly required: boolean;
  /** A value to supply instead of a generated one (needed for types verify cannot invent). */
  readonly value?: string;
}

export const DEFAULT_TARGET: VerifyTarget = {
  port: 8000,
  uid: 10001,
  gid: 10001,
  health: { liveness: '/healthz', readiness: '/healthz' },
  openapiPath: '/openapi.json',
  appModule: undefined,
  settings: [],
  gracefulTimeoutSeconds: 20,
  gracePeriodSeconds: 30,
  sizeBudgetMb: 300,
  startDeadlineSeconds: 30,
  healthDeadlineSeconds: 60,
  slowPath: undefined,
  shutdownLogPattern: /Application shutdown complete/,
};

/** A target for an image with no project beside it, with any field overridden. */
export function defaultTarget(overrides: Partial<VerifyTarget> = {}): VerifyTarget {
  const target = { ...DEFAULT_TARGET, ...overrides };
  if (overrides.gracePeriodSeconds === undefined && overrides.gracefulTimeoutSeconds !== undefined) {
    return { ...target, gracePeriodSeconds: overrides.gracefulTimeoutSeconds + 10 };
  }
  return target;
}

/** Everything verify needs from what analyze found and what [tool.slipway] says. */
export function targetFromModel(model: ProjectModel, overrides: Partial<VerifyTarget> = {}): VerifyTarget {
  const { config, health } = model;
  const liveness = health.liveness ?? DEFAULT_TARGET.health.liveness;
  return defaultTarget({
    port: config.port,
    uid: config.uid,
    gid: config.gid,
    health: { liveness, readiness: health.readiness ?? liveness },
    appModule: model.app.module,
    settings: settingsTargets(model),
    gracefulTimeoutSeconds: config.gracefulTimeout,
    sizeBudgetMb: config.sizeBudgetMb,
    ...overrides,
  });
}

function settingsTargets(model: ProjectModel): SettingsTarget[] {
  return model.settings.classes.map((cls) => ({
    importPath: `${moduleOf(cls, model.sourceRoots)}:${cls.name}`,
    vars: model.settings.env.filter((v) => v.settingsClass === cls.name).map(toVar),
  }));
}

function toVar(env: EnvVar): SettingsVar {
  return { name: env.name, field: env.field, type: env.type, secret: env.secret, required: env.required };
}

/** `src/inventory_api/settings.py` with source root `src` → `inventory_api.settings`. */
export function moduleOf(cls: SettingsClass, sourceRoots: readonly string[]): string {
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

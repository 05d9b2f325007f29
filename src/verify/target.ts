import type { CompanionService, MigrationStep, ProjectModel } from '../analyze/model.js';
import {
  factsFromLabels,
  factsFromModel,
  type ImageFacts,
  type LabelledSettings,
} from '../build/image-labels.js';

export { moduleOf } from '../build/image-labels.js';

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
  /**
   * The app's health routes. Undefined when it has none: liveness then falls back to "the port
   * accepts and the app answers HTTP below 500" (the OpenAPI document, then `/`).
   */
  readonly health: {
    readonly liveness: string | undefined;
    /** @default the liveness path */
    readonly readiness: string | undefined;
  };
  /** The routes analyze found (method and full path), compared with the running app's OpenAPI. */
  readonly routes: readonly TargetRoute[] | undefined;
  /** Where this target came from, for evidence. */
  readonly source: 'project' | 'image labels' | 'defaults';
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
  /** Printed by the app when its lifespan shutdown ran (uvicorn's own line). */
  readonly shutdownLogPattern: RegExp;
  /** Databases and caches started beside the app, on a private network of the run's own. */
  readonly services: readonly CompanionService[];
  /** Run with the app's image against those services before the app starts. */
  readonly migration: MigrationStep | undefined;
}

export interface TargetRoute {
  readonly method: string;
  readonly path: string;
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
  health: { liveness: undefined, readiness: undefined },
  routes: undefined,
  source: 'defaults',
  openapiPath: '/openapi.json',
  appModule: undefined,
  settings: [],
  gracefulTimeoutSeconds: 20,
  gracePeriodSeconds: 30,
  sizeBudgetMb: 300,
  startDeadlineSeconds: 30,
  healthDeadlineSeconds: 60,
  shutdownLogPattern: /Application shutdown complete/,
  services: [],
  migration: undefined,
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
  return targetFromFacts(factsFromModel(model), 'project', overrides);
}

/** The target an image built by slipway carries in its labels; undefined for any other image. */
export function targetFromLabels(
  labels: Readonly<Record<string, string>>,
  overrides: Partial<VerifyTarget> = {},
): VerifyTarget | undefined {
  const facts = factsFromLabels(labels);
  return facts ? targetFromFacts(facts, 'image labels', overrides) : undefined;
}

function targetFromFacts(
  facts: ImageFacts,
  source: VerifyTarget['source'],
  overrides: Partial<VerifyTarget>,
): VerifyTarget {
  return defaultTarget({
    port: facts.port,
    uid: facts.uid,
    gid: facts.gid,
    // The same paths the Dockerfile's HEALTHCHECK and the manifests' probes use.
    health: { liveness: facts.liveness, readiness: facts.readiness ?? facts.liveness },
    routes: facts.routes?.map((route) => {
      const [method = 'GET', ...path] = route.split(' ');
      return { method, path: path.join(' ') };
    }),
    source,
    appModule: facts.appModule,
    settings: facts.settings.map((cls) => ({ importPath: cls.importPath, vars: cls.vars.map(toVar) })),
    gracefulTimeoutSeconds: facts.gracefulTimeoutSeconds,
    sizeBudgetMb: facts.sizeBudgetMb,
    // `openapi_url=f"{settings.API_V1_STR}/openapi.json"` moves it; `openapi_url=None` removes it.
    openapiPath: facts.openapiPath ?? undefined,
    services: facts.services,
    migration: facts.migration,
    ...overrides,
  });
}

function toVar(v: LabelledSettings['vars'][number]): SettingsVar {
  return { name: v.name, field: v.field, type: v.type, secret: v.secret, required: v.required };
}

import { z } from 'zod';

/**
 * `[tool.slipway]`: the one source of the accepted keys, their defaults and the config's type.
 * Kebab-case keys as written in pyproject.toml, every key optional, unknown keys rejected so that
 * a typo is an error instead of a silent default; parsing fills in every default and gives the
 * camelCase SlipwayConfig the rest of the code reads.
 */

// Debian package names (Policy 5.6.1): what apt-get install accepts, nothing a shell would expand.
const debianPackage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9+.-]+$/, { error: 'expected a Debian package name such as libpq5' });

const routePath = z.string().regex(/^\/\S*$/, { error: 'expected a path starting with /, e.g. /healthz' });

// Kubernetes resource quantities (100m, 0.5, 128Mi, 1G); TOML numbers are accepted for plain counts.
const quantity = z
  .union([z.string(), z.number().positive()])
  .transform((value) => String(value))
  .pipe(
    z.string().regex(/^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, {
      error: 'expected a Kubernetes quantity such as 100m, 0.5, 128Mi or 1Gi',
    }),
  );

// Linux ids: 0 is root, which the Pod Security "restricted" profile forbids.
const linuxId = z.int().min(1).max(2_147_483_647);

const resourcesSchema = z
  .strictObject({
    requests: z
      .strictObject({ cpu: quantity.default('100m'), memory: quantity.default('128Mi') })
      .prefault({}),
    // No CPU limit by default: throttling hurts latency more than it protects neighbours.
    limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.default('256Mi') }).prefault({}),
  })
  .prefault({});

const tomlSchema = z.strictObject({
  /** Overrides app detection: `module:attr`, or `module:factory()` for an app factory. */
  app: z
    .string()
    .regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*(\(\))?$/, {
      error: 'expected module:attribute, e.g. myapp.main:app, or module:factory() for an app factory',
    })
    .optional(),
  /** Overrides the Python version from .python-version / requires-python (`X.Y`). */
  'python-version': z
    .string()
    .regex(/^3\.\d+$/, { error: 'expected a Python version X.Y, e.g. 3.13' })
    .optional(),
  /**
   * The project's own Dockerfile that builds the app, relative to pyproject.toml, when it has
   * several (`docker/api.Dockerfile`); slipway keeps it and follows it instead of writing its own.
   */
  dockerfile: z
    .string()
    .min(1)
    .refine((path) => !path.startsWith('/'), { error: 'expected a path relative to pyproject.toml' })
    .optional(),
  /** Port uvicorn listens on inside the container. */
  port: z.int().min(1).max(65_535).default(8000),
  /** Numeric runtime user and group. */
  uid: linuxId.default(10001),
  gid: linuxId.default(10001),
  /** uvicorn worker processes: one, Kubernetes scales with replicas. */
  workers: z.int().min(1).max(64).default(1),
  /** uvicorn --timeout-graceful-shutdown, seconds; the pod's grace period is longer. */
  'graceful-timeout': z.int().min(1).max(3600).default(20),
  /** Size budget of the final image, MB: 300 is the product's promise; a project may only tighten it. */
  'size-budget-mb': z.number().positive().max(300).default(300),
  /** Extra Debian packages: `build` for the builder stage, `runtime` for the final stage. */
  apt: z
    .strictObject({ build: z.array(debianPackage).default([]), runtime: z.array(debianPackage).default([]) })
    .prefault({}),
  /** Overrides the detected health routes. */
  health: z.strictObject({ liveness: routePath.optional(), readiness: routePath.optional() }).prefault({}),
  /** Image name (default: the project name) and an optional registry prefix. */
  image: z
    .strictObject({
      name: z
        .string()
        .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
          error: 'expected a lower-case image name such as inventory-api',
        })
        .optional(),
      registry: z
        .string()
        .regex(/^[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, {
          error: 'expected a registry such as ghcr.io/acme or localhost:5000',
        })
        .optional(),
    })
    .prefault({}),
  /** OCI labels: maintainer and source repository. */
  maintainer: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  /** Kubernetes: namespace, replicas of the production overlay, container resources. */
  kubernetes: z
    .strictObject({
      namespace: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
          error: 'expected a Kubernetes namespace (lower-case letters, digits and -, at most 63)',
        })
        .optional(),
      replicas: z.int().min(1).max(1000).default(2),
      resources: resourcesSchema,
    })
    .prefault({}),
  /**
   * Dependency groups the image installs (`[dependency-groups]` names), replacing what
   * `[tool.uv] default-groups` would choose; `dev` is never installed unless listed here.
   */
  groups: z
    .array(
      z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, {
        error: 'expected a group name such as server',
      }),
    )
    .optional(),
  /** What `slipway init` writes besides the Dockerfile: kustomize (the default), helm, compose, github. */
  outputs: z
    .array(z.enum(['kustomize', 'helm', 'compose', 'github']))
    .min(1)
    .refine((list) => new Set(list).size === list.length, { error: 'expected each output once' })
    .default(['kustomize']),
  /**
   * The final stage's base: `slim` (python:X.Y-slim, the default), `distroless`
   * (gcr.io/distroless/python3-debian13, nonroot, no shell) or `hardened` (dhi.io/python:X.Y).
   */
  base: z.enum(['slim', 'distroless', 'hardened']).default('slim'),
  /**
   * Companion services the app needs to start, beyond what its settings and compose file say:
   * verify starts them beside the app on a private network.
   */
  services: z
    .array(z.enum(['postgres', 'mysql', 'redis']))
    .refine((list) => new Set(list).size === list.length, { error: 'expected each service once' })
    .optional(),
  /** The migration command run before new pods start (e.g. `alembic upgrade head`). */
  migrate: z.string().min(1).optional(),
  /** Rule ids to suppress in `slipway check`, each with a reason. */
  ignore: z.array(z.strictObject({ id: z.string().min(1), reason: z.string().min(1) })).default([]),
});

/** Parses `[tool.slipway]` into the config: defaults filled in, keys in camelCase. */
export const slipwaySchema = tomlSchema.transform(
  ({
    'python-version': pythonVersion,
    'graceful-timeout': gracefulTimeout,
    'size-budget-mb': sizeBudgetMb,
    ...rest
  }) => ({
    ...rest,
    pythonVersion,
    gracefulTimeout,
    sizeBudgetMb,
  }),
);

type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** `[tool.slipway]` after validation, with every default filled in. */
export type SlipwayConfig = DeepReadonly<z.output<typeof slipwaySchema>>;

/** Every default: what an absent or empty `[tool.slipway]` means. */
export const DEFAULT_CONFIG: SlipwayConfig = slipwaySchema.parse({});

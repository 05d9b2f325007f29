import { z } from 'zod';

/**
 * `[tool.slipway]` as written in pyproject.toml: kebab-case keys, every key optional (defaults.ts
 * fills them in), unknown keys rejected so that a typo is an error instead of a silent default.
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

export const slipwaySchema = z.strictObject({
  app: z
    .string()
    .regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*(\(\))?$/, {
      error: 'expected module:attribute, e.g. myapp.main:app, or module:factory() for an app factory',
    })
    .optional(),
  'python-version': z
    .string()
    .regex(/^3\.\d+$/, { error: 'expected a Python version X.Y, e.g. 3.13' })
    .optional(),
  port: z.int().min(1).max(65_535).optional(),
  uid: linuxId.optional(),
  gid: linuxId.optional(),
  workers: z.int().min(1).max(64).optional(),
  'graceful-timeout': z.int().min(1).max(3600).optional(),
  // 300 MB is the product's promise for the final image; a project may only tighten it.
  'size-budget-mb': z.number().positive().max(300).optional(),
  apt: z
    .strictObject({
      build: z.array(debianPackage).optional(),
      runtime: z.array(debianPackage).optional(),
    })
    .optional(),
  health: z.strictObject({ liveness: routePath.optional(), readiness: routePath.optional() }).optional(),
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
    .optional(),
  maintainer: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  kubernetes: z
    .strictObject({
      namespace: z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
          error: 'expected a Kubernetes namespace (lower-case letters, digits and -, at most 63)',
        })
        .optional(),
      replicas: z.int().min(1).max(1000).optional(),
      resources: z
        .strictObject({
          requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
          limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
  ignore: z.array(z.strictObject({ id: z.string().min(1), reason: z.string().min(1) })).optional(),
});

export type SlipwayToml = z.output<typeof slipwaySchema>;

import type { z } from 'zod';
import { ProjectError } from '../errors.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { type SlipwayToml, slipwaySchema } from './schema.js';
import type { SlipwayConfig } from './types.js';

/**
 * Validates `[tool.slipway]` (undefined when the table is absent) and fills in the defaults.
 * Every problem is reported with its key path, e.g. `tool.slipway.port: expected number, got string`.
 */
export function loadConfig(tool: unknown, file: string): SlipwayConfig {
  if (tool === undefined) return DEFAULT_CONFIG;
  const result = slipwaySchema.safeParse(tool, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map(describeIssue);
    throw new ProjectError(`${file}: invalid [tool.slipway]:\n  ${problems.join('\n  ')}`, {
      fix: `edit [tool.slipway] in ${file}`,
    });
  }
  return withDefaults(result.data);
}

function withDefaults(toml: SlipwayToml): SlipwayConfig {
  const d = DEFAULT_CONFIG;
  const resources = toml.kubernetes?.resources;
  return {
    app: toml.app,
    pythonVersion: toml['python-version'],
    port: toml.port ?? d.port,
    uid: toml.uid ?? d.uid,
    gid: toml.gid ?? d.gid,
    workers: toml.workers ?? d.workers,
    gracefulTimeout: toml['graceful-timeout'] ?? d.gracefulTimeout,
    sizeBudgetMb: toml['size-budget-mb'] ?? d.sizeBudgetMb,
    apt: { build: toml.apt?.build ?? [], runtime: toml.apt?.runtime ?? [] },
    health: { liveness: toml.health?.liveness, readiness: toml.health?.readiness },
    image: { name: toml.image?.name, registry: toml.image?.registry },
    maintainer: toml.maintainer,
    source: toml.source,
    kubernetes: {
      namespace: toml.kubernetes?.namespace,
      replicas: toml.kubernetes?.replicas ?? d.kubernetes.replicas,
      resources: {
        requests: {
          cpu: resources?.requests?.cpu ?? d.kubernetes.resources.requests.cpu,
          memory: resources?.requests?.memory ?? d.kubernetes.resources.requests.memory,
        },
        limits: {
          memory: resources?.limits?.memory ?? d.kubernetes.resources.limits.memory,
          cpu: resources?.limits?.cpu ?? d.kubernetes.resources.limits.cpu,
        },
      },
    },
    ignore: toml.ignore ?? [],
  };
}

function keyPath(path: readonly PropertyKey[]): string {
  let out = 'tool.slipway';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fraction';
  return typeof value;
}

// Zod's default wording ("Invalid input: ...") is for developers; these name what to write instead.
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = keyPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${keyPath([...issue.path, key])}: unknown key`).join('\n  ');
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'integer' : issue.expected;
      return `${where}: expected ${expected}, got ${typeName(issue.input)}`;
    }
    case 'too_small':
      return issue.origin === 'string' || issue.origin === 'array'
        ? `${where}: must not be empty`
        : `${where}: must be at least ${issue.minimum}`;
    case 'too_big':
      return `${where}: must be at most ${issue.maximum}`;
    case 'invalid_union':
      return `${where}: expected a string or a number`;
    default:
      return `${where}: ${issue.message}`;
  }
}

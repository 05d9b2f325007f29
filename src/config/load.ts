import type { z } from 'zod';
import { ProjectError } from '../errors.js';
import { DEFAULT_CONFIG, type SlipwayConfig, slipwaySchema } from './schema.js';

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
  return result.data;
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

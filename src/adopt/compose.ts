import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

/**
 * What a project's compose file says about its image: which Dockerfile each service builds, from
 * which context, and the environment it sets. The compose file is how most projects build and
 * start their app today, so it names the Dockerfile that matters.
 */

export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface ComposeService {
  readonly file: string;
  readonly service: string;
  /** Absolute build context; undefined for a service that only runs an image. */
  readonly context: string | undefined;
  /** Absolute Dockerfile path; undefined when the service builds nothing or inlines it. */
  readonly dockerfile: string | undefined;
  /** `environment:` values written literally (no `${...}` interpolation). */
  readonly environment: Readonly<Record<string, string>>;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** The compose files in these folders, in order, first name found per folder. */
export function composeFiles(dirs: readonly string[]): string[] {
  const files: string[] = [];
  for (const dir of [...new Set(dirs)]) {
    const file = COMPOSE_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
    if (file) files.push(file);
  }
  return files;
}

/** The services of one compose file; a file that is not valid YAML gives none (compose says why). */
export function readCompose(file: string): ComposeService[] {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  const services = record(record(data)?.services) ?? {};
  const dir = dirname(file);
  return Object.entries(services).map(([service, raw]) => {
    const spec = record(raw) ?? {};
    const build = typeof spec.build === 'string' ? { context: spec.build } : record(spec.build);
    const context =
      build === undefined ? undefined : resolve(dir, typeof build.context === 'string' ? build.context : '.');
    const dockerfile =
      build && context && typeof build.dockerfile_inline !== 'string'
        ? resolve(context, typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile')
        : undefined;
    return { file, service, context, dockerfile, environment: environment(spec.environment) };
  });
}

function environment(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, raw: unknown) => {
    if (raw === null || raw === undefined || typeof raw === 'object') return;
    const text = String(raw);
    if (!text.includes('$')) out[name] = text;
  };
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item !== 'string') continue;
      const at = item.indexOf('=');
      if (at > 0) put(item.slice(0, at), item.slice(at + 1));
    }
  } else {
    for (const [name, raw] of Object.entries(record(value) ?? {})) put(name, raw);
  }
  return out;
}

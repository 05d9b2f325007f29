import type { CompanionService, ProjectModel, ServiceKind, ServiceSetting } from '../../analyze/model.js';
import { envValue } from '../k8s/configmap.js';
import type { Json } from '../k8s/objects.js';
import { literal, required } from './yaml.js';

/**
 * The app's databases and caches (model.services) as compose services: the image analyze chose,
 * its own readiness tool as the healthcheck, a named volume for its data, and the settings that
 * point the app at it. The same addresses and roles as verify gives the app (verify/services/plan.ts),
 * with stable names instead of a random password: the password is never written here, compose
 * takes it from .env (or the shell) by interpolation and refuses to start without it.
 */

/** Names the app and its migration take; a companion keeps its compose name unless it is one of them. */
export const APP_SERVICE = 'app';
export const MIGRATE_SERVICE = 'migrate';

export interface Companion {
  /** The compose service name, which is also the host name the app reaches it at. */
  readonly name: string;
  readonly kind: ServiceKind;
  readonly service: Json;
  /** The named volume holding its data. */
  readonly volume: string;
  /** What the app's settings are set to, by variable name: addresses, users, the password by interpolation. */
  readonly appEnv: Readonly<Record<string, string>>;
  /** The variable .env must define for it (its password); undefined for a cache with none. */
  readonly passwordVariable: string | undefined;
}

/** Where each image keeps its data; postgres 18 moved it up one level (its image's VOLUME). */
function dataDir(kind: ServiceKind, image: string): string {
  if (kind === 'mysql') return '/var/lib/mysql';
  if (kind === 'redis') return '/data';
  const major = Number(/:(\d+)/.exec(image)?.[1]);
  return major >= 18 ? '/var/lib/postgresql' : '/var/lib/postgresql/data';
}

const DNS_LABEL = /^[a-z0-9][a-z0-9-]*$/;

function serviceName(service: CompanionService, taken: ReadonlySet<string>): string {
  const own = service.composeName?.toLowerCase();
  const reserved = new Set([APP_SERVICE, MIGRATE_SERVICE]);
  if (own && DNS_LABEL.test(own) && !reserved.has(own) && !taken.has(own)) return own;
  if (!taken.has(service.kind)) return service.kind;
  let n = 2;
  while (taken.has(`${service.kind}-${n}`)) n += 1;
  return `${service.kind}-${n}`;
}

/**
 * The user or database name: the example the project gives for the app's setting of that role
 * (so a .env copied from .env.example agrees), else its literal default, else `app`.
 */
function named(model: ProjectModel, service: CompanionService, role: 'user' | 'database'): string {
  const setting = service.settings.find((s) => s.role === role);
  const example = setting ? model.exampleEnv?.[setting.name]?.value : undefined;
  const literalDefault = model.settings.env.find((v) => v.name === setting?.name)?.default;
  const fromDefault = literalDefault === undefined ? undefined : envValue(literalDefault);
  const value = example || fromDefault || 'app';
  return /^[A-Za-z0-9_-]+$/.test(value) ? value : 'app';
}

/** The app's password setting names the variable when it has one: a .env from .env.example already holds it. */
function passwordVariable(service: CompanionService, name: string, taken: ReadonlySet<string>): string {
  const own = service.settings.find((s) => s.role === 'password')?.name;
  if (own && !taken.has(own)) return own;
  const byKind = `${service.kind.toUpperCase()}_PASSWORD`;
  if (!taken.has(byKind)) return byKind;
  return `${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PASSWORD`;
}

function appValue(
  setting: ServiceSetting,
  kind: ServiceKind,
  at: { host: string; port: number; user: string; database: string; password: string | undefined },
): string {
  switch (setting.role) {
    case 'url': {
      const scheme = setting.scheme ?? kind;
      if (kind === 'redis' || at.password === undefined) return `${scheme}://${at.host}:${at.port}/0`;
      return `${scheme}://${at.user}:${at.password}@${at.host}:${at.port}/${at.database}`;
    }
    case 'host':
      return at.host;
    case 'port':
      return String(at.port);
    case 'user':
      return at.user;
    case 'password':
      return at.password ?? '';
    case 'database':
      return at.database;
  }
}

function serviceSpec(
  kind: ServiceKind,
  user: string,
  database: string,
  password: string | undefined,
): { environment?: Record<string, string>; test: string[] } {
  switch (kind) {
    case 'postgres':
      return {
        environment: { POSTGRES_USER: user, POSTGRES_DB: database, POSTGRES_PASSWORD: password ?? '' },
        // -h 127.0.0.1: while it initialises, the image listens on its socket only.
        test: ['CMD', 'pg_isready', '-q', '-h', '127.0.0.1', '-p', '5432', '-U', user, '-d', database],
      };
    case 'mysql':
      return {
        environment: {
          MYSQL_USER: user,
          MYSQL_DATABASE: database,
          MYSQL_PASSWORD: password ?? '',
          MYSQL_RANDOM_ROOT_PASSWORD: 'yes',
        },
        // Over TCP: the image's first start runs a server without networking, which is not ready.
        test: ['CMD', 'mysqladmin', 'ping', '--silent', '-h', '127.0.0.1'],
      };
    case 'redis':
      return { test: ['CMD', 'redis-cli', '-h', '127.0.0.1', 'ping'] };
  }
}

export function companions(model: ProjectModel): Companion[] {
  const names = new Set<string>();
  const variables = new Set<string>();
  return (model.services ?? []).map((service) => {
    const name = serviceName(service, names);
    names.add(name);
    const user = literal(named(model, service, 'user'));
    const database = literal(named(model, service, 'database'));
    const variable = service.kind === 'redis' ? undefined : passwordVariable(service, name, variables);
    if (variable) variables.add(variable);
    const password = variable
      ? required(
          variable,
          `set ${variable} in .env (the ${name} password; letters and digits, it goes into a URL)`,
        )
      : undefined;
    const spec = serviceSpec(service.kind, user, database, password);
    const volume = `${name}-data`;
    const appEnv: Record<string, string> = {};
    const at = { host: name, port: service.port, user, database, password };
    for (const setting of service.settings) appEnv[setting.name] = appValue(setting, service.kind, at);
    return {
      name,
      kind: service.kind,
      volume,
      appEnv,
      passwordVariable: variable,
      service: {
        image: service.image,
        restart: 'unless-stopped',
        ...(spec.environment ? { environment: spec.environment } : {}),
        // Reached by the app on the compose network only: no port published on the host.
        healthcheck: { test: spec.test, interval: '2s', timeout: '5s', retries: 30, start_period: '10s' },
        volumes: [`${volume}:${dataDir(service.kind, service.image)}`],
      },
    };
  });
}

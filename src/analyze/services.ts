import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { composeFiles } from '../adopt/compose.js';
import { sqlalchemyScheme } from './driver-scheme.js';
import type { CompanionService, EnvVar, ServiceKind, ServiceSetting } from './model.js';

/**
 * The databases and caches an app needs to start, from three sources: its settings (a DSN whose
 * default or type names a scheme, `POSTGRES_SERVER`/`REDIS_HOST`-style fields), the project's
 * compose file (services running a postgres/mysql/redis image) and `[tool.slipway] services`.
 * Pure reading, like the rest of analyze.
 */

/** What verify starts for a kind when the compose file names no image of its own. */
export const DEFAULT_SERVICE_IMAGES: Readonly<Record<ServiceKind, string>> = {
  postgres: 'postgres:17',
  mysql: 'mysql:8.4',
  redis: 'redis:7',
};

export const SERVICE_PORTS: Readonly<Record<ServiceKind, number>> = {
  postgres: 5432,
  mysql: 3306,
  redis: 6379,
};

export interface ServicesInput {
  /** Every environment variable the app's settings read. */
  readonly env: readonly EnvVar[];
  /** Normalized runtime dependency names: they decide the kind of a neutral `DATABASE_URL`. */
  readonly dependencies: readonly string[];
  /** Folders whose compose file counts (the project, its workspace root). */
  readonly composeDirs: readonly string[];
  /** `[tool.slipway] services`. */
  readonly configured: readonly ServiceKind[] | undefined;
  /** Example values (`.env.example`, compose environment) by variable name. */
  readonly examples?: Readonly<Record<string, { readonly value: string }>>;
  /** The sources use SQLAlchemy's asyncio engine (a URL then names an async driver). */
  readonly asyncEngine?: boolean;
}

const SCHEMES: readonly [RegExp, ServiceKind][] = [
  [/^postgres(ql)?(\+\w+)?$/, 'postgres'],
  [/^(mysql|mariadb)(\+\w+)?$/, 'mysql'],
  [/^rediss?$/, 'redis'],
];

const DRIVERS: Readonly<Record<string, ServiceKind>> = {
  psycopg: 'postgres',
  'psycopg-binary': 'postgres',
  psycopg2: 'postgres',
  'psycopg2-binary': 'postgres',
  asyncpg: 'postgres',
  pg8000: 'postgres',
  pymysql: 'mysql',
  mysqlclient: 'mysql',
  aiomysql: 'mysql',
  asyncmy: 'mysql',
  'mysql-connector-python': 'mysql',
};

const URL_NAME = /(^|_)(URL|URI|DSN)$/;
const ROLE_WORDS: readonly [RegExp, ServiceSetting['role']][] = [
  [/(^|_)(SERVER|HOST|HOSTNAME)$/, 'host'],
  [/(^|_)PORT$/, 'port'],
  [/(^|_)(USER|USERNAME)$/, 'user'],
  [/(^|_)(PASSWORD|PASS|PASSWD)$/, 'password'],
  [/(^|_)(DB|DATABASE|NAME|DBNAME)$/, 'database'],
];

/** The scheme of a URL-ish value, lower case, or undefined. */
function schemeOf(value: string | undefined): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(value ?? '')?.[1]?.toLowerCase();
}

const kindOfScheme = (scheme: string | undefined): ServiceKind | undefined =>
  scheme === undefined ? undefined : SCHEMES.find(([pattern]) => pattern.test(scheme))?.[1];

/** The kind a name's own words say: `POSTGRES_*`, `PG_*`, `MYSQL_*`, `REDIS_*`. */
function kindOfName(name: string): ServiceKind | undefined {
  const upper = name.toUpperCase();
  if (/(^|_)(POSTGRES|POSTGRESQL|PG|PSQL)(_|$)/.test(upper)) return 'postgres';
  if (/(^|_)(MYSQL|MARIADB)(_|$)/.test(upper)) return 'mysql';
  if (/(^|_)(REDIS|VALKEY)(_|$)/.test(upper)) return 'redis';
  return undefined;
}

/** `PostgresDsn`, `MySQLDsn`, `RedisDsn` (pydantic) name their service. */
function kindOfType(type: string): ServiceKind | undefined {
  if (/PostgresDsn/.test(type)) return 'postgres';
  if (/(MySQL|MariaDB)Dsn/i.test(type)) return 'mysql';
  if (/RedisDsn/.test(type)) return 'redis';
  return undefined;
}

const DEFAULT_SCHEMES: Readonly<Record<ServiceKind, string>> = {
  postgres: 'postgresql',
  mysql: 'mysql',
  redis: 'redis',
};

/** One setting's tie to a service, or undefined when it names none. */
function settingNeed(
  variable: EnvVar,
  driverKind: ServiceKind | undefined,
  example: string | undefined,
  schemeFor: (kind: ServiceKind) => string,
): { kind: ServiceKind; setting: ServiceSetting; reason: string } | undefined {
  const name = variable.name.toUpperCase();
  const written = variable.default ?? example;
  const scheme = schemeOf(written);
  if (URL_NAME.test(name) || kindOfType(variable.type)) {
    // A default of another scheme (sqlite://, https://) says this URL is no service of ours.
    if (scheme !== undefined && kindOfScheme(scheme) === undefined) return undefined;
    const neutral = /(^|_)(DATABASE|DB|SQLALCHEMY_DATABASE)_(URL|URI|DSN)$/.test(name);
    const kind =
      kindOfScheme(scheme) ??
      kindOfType(variable.type) ??
      kindOfName(name) ??
      (neutral ? driverKind : undefined);
    if (!kind) return undefined;
    const why = kindOfScheme(scheme)
      ? `${scheme} scheme in its ${variable.default !== undefined ? 'default' : 'example'}`
      : kindOfType(variable.type)
        ? `type ${variable.type}`
        : kindOfName(name)
          ? 'its name'
          : 'the database driver among the dependencies';
    const urlScheme = kindOfScheme(scheme) ? scheme : schemeFor(kind);
    return {
      kind,
      setting: { name: variable.name, role: 'url', ...(urlScheme ? { scheme: urlScheme } : {}) },
      reason: `setting ${variable.name} (${why})`,
    };
  }
  const role = ROLE_WORDS.find(([pattern]) => pattern.test(name))?.[1];
  if (!role) return undefined;
  const kind = kindOfName(name) ?? (/^DB_/.test(name) ? driverKind : undefined);
  // REDIS_DB is a number; REDIS_NAME is rarely a database: both stay as they are.
  if (!kind || (kind === 'redis' && (role === 'database' || role === 'user'))) return undefined;
  return { kind, setting: { name: variable.name, role }, reason: `setting ${variable.name}` };
}

interface ComposeNeed {
  readonly kind: ServiceKind;
  readonly image: string;
  readonly name: string;
  readonly file: string;
  readonly healthcheck: readonly string[] | undefined;
}

/** Compose services that run a database or cache image (`postgres:17`, `bitnami/redis`, `mariadb`). */
export function composeServices(dirs: readonly string[]): ComposeNeed[] {
  const out: ComposeNeed[] = [];
  for (const file of composeFiles(dirs)) {
    let data: unknown;
    try {
      data = parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const services = record(record(data)?.services) ?? {};
    for (const [name, raw] of Object.entries(services)) {
      const spec = record(raw) ?? {};
      // An interpolated image (`postgres:${PG_VERSION}`) gives its kind, not its tag.
      if (typeof spec.image !== 'string') continue;
      const repo =
        (spec.image.replace(/\$\{[^}]*\}/g, '').split('@')[0] ?? '')
          .replace(/:[^/:]*$/, '')
          .split('/')
          .pop() ?? '';
      const kind: ServiceKind | undefined = /^(postgres|postgis|postgresql)$/.test(repo)
        ? 'postgres'
        : /^(mysql|mariadb)$/.test(repo)
          ? 'mysql'
          : /^(redis|redis-stack-server|valkey)$/.test(repo)
            ? 'redis'
            : undefined;
      if (!kind) continue;
      const test = record(spec.healthcheck)?.test;
      const healthcheck =
        typeof test === 'string'
          ? [test]
          : Array.isArray(test)
            ? test.map((part) => String(part))
            : undefined;
      const image = spec.image.includes('$') ? DEFAULT_SERVICE_IMAGES[kind] : spec.image;
      out.push({ kind, image, name, file, healthcheck });
    }
  }
  return out;
}

/** Every companion service the app needs, one per kind, in a stable order (postgres, mysql, redis). */
export function findServices(input: ServicesInput): CompanionService[] {
  const drivers = [...new Set(input.dependencies.map((dep) => DRIVERS[dep]).filter((kind) => kind))];
  // A neutral DATABASE_URL is tied to a driver only when the dependencies name exactly one kind.
  const driverKind = drivers.length === 1 ? drivers[0] : undefined;
  // A URL with no scheme written anywhere gets the one the app's driver needs.
  const schemeFor = (kind: ServiceKind) =>
    sqlalchemyScheme(kind, input.dependencies, input.asyncEngine ?? false) ?? DEFAULT_SCHEMES[kind];
  const found = new Map<
    ServiceKind,
    { reasons: string[]; settings: ServiceSetting[]; compose?: ComposeNeed }
  >();
  const entry = (kind: ServiceKind) => {
    let value = found.get(kind);
    if (!value) {
      value = { reasons: [], settings: [] };
      found.set(kind, value);
    }
    return value;
  };
  const seen = new Set<string>();
  for (const variable of input.env) {
    if (seen.has(variable.name)) continue;
    seen.add(variable.name);
    const need = settingNeed(variable, driverKind, input.examples?.[variable.name]?.value, schemeFor);
    if (!need) continue;
    const item = entry(need.kind);
    item.settings.push(need.setting);
    item.reasons.push(need.reason);
  }
  // Field-style settings alone (a stray `*_PORT`) do not make a service: a host or a URL must say so.
  for (const [kind, item] of found) {
    if (!item.settings.some((s) => s.role === 'url' || s.role === 'host')) found.delete(kind);
  }
  for (const need of composeServices(input.composeDirs)) {
    const item = entry(need.kind);
    if (item.compose) continue;
    item.compose = need;
    item.reasons.push(`${basename(need.file)} services.${need.name} (image ${need.image})`);
  }
  for (const kind of input.configured ?? []) entry(kind).reasons.push('[tool.slipway] services');
  const order: ServiceKind[] = ['postgres', 'mysql', 'redis'];
  return order.flatMap((kind) => {
    const item = found.get(kind);
    if (!item) return [];
    return [
      {
        kind,
        image: item.compose?.image ?? DEFAULT_SERVICE_IMAGES[kind],
        port: SERVICE_PORTS[kind],
        reasons: item.reasons,
        ...(item.compose ? { composeName: item.compose.name } : {}),
        ...(item.compose?.healthcheck ? { composeHealthcheck: item.compose.healthcheck } : {}),
        settings: item.settings,
      },
    ];
  });
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

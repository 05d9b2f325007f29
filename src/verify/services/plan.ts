import { randomBytes } from 'node:crypto';
import type { CompanionService, ServiceKind, ServiceSetting } from '../../analyze/model.js';
import { type SettingsSupply, type SettingsValue, sha256 } from '../settings-values.js';
import type { SettingsTarget } from '../target.js';

/**
 * How verify runs each companion service and what the app is told about it. Pure: the same
 * services and token give the same plan. Credentials are made up per run (a random password);
 * the host is the service's alias on the run's private network.
 */
export interface ServicePlan {
  readonly kind: ServiceKind;
  readonly image: string;
  /** Host names on the private network: the kind, and the compose service's name when it has one. */
  readonly aliases: readonly string[];
  readonly host: string;
  readonly port: number;
  /** Plain environment of the service container. */
  readonly env: Readonly<Record<string, string>>;
  /** Its secrets (the password): written to a 0600 env-file, never on a command line. */
  readonly secretEnv: Readonly<Record<string, string>>;
  /** Run inside the service container until it exits 0: the official images' own readiness tools. */
  readonly health: readonly string[];
  /** The app's settings that reach it: plain values and secret ones, by variable name. */
  readonly appPlain: Readonly<Record<string, string>>;
  readonly appSecret: Readonly<Record<string, string>>;
  /** For evidence: `postgres:17 at postgres:5432 (user slipway, database slipway)`. */
  readonly shown: string;
}

const USER = 'slipway';
const DATABASE = 'slipway';

/** `postgres`, `db` and any compose name are valid DNS labels; anything else is dropped. */
const aliasesOf = (service: CompanionService) =>
  [...new Set([service.kind, service.composeName ?? ''])].filter((name) =>
    /^[a-z0-9][a-z0-9-]*$/i.test(name),
  );

function settingValue(
  setting: ServiceSetting,
  kind: ServiceKind,
  host: string,
  port: number,
  password: string,
): { value: string; secret: boolean } {
  switch (setting.role) {
    case 'url': {
      const scheme = setting.scheme ?? kind;
      // redis without a password: the stand-in (and the official image) has none by default.
      if (kind === 'redis') return { value: `${scheme}://${host}:${port}/0`, secret: false };
      return { value: `${scheme}://${USER}:${password}@${host}:${port}/${DATABASE}`, secret: true };
    }
    case 'host':
      return { value: host, secret: false };
    case 'port':
      return { value: String(port), secret: false };
    case 'user':
      return { value: USER, secret: false };
    case 'password':
      return kind === 'redis' ? { value: '', secret: false } : { value: password, secret: true };
    case 'database':
      return { value: DATABASE, secret: false };
  }
}

function serviceEnv(kind: ServiceKind, password: string): Pick<ServicePlan, 'env' | 'secretEnv' | 'health'> {
  switch (kind) {
    case 'postgres':
      return {
        env: { POSTGRES_USER: USER, POSTGRES_DB: DATABASE },
        secretEnv: { POSTGRES_PASSWORD: password },
        // -h 127.0.0.1: while it initialises, the official image listens on its socket only.
        health: ['pg_isready', '-q', '-h', '127.0.0.1', '-p', '5432', '-U', USER, '-d', DATABASE],
      };
    case 'mysql':
      return {
        env: { MYSQL_USER: USER, MYSQL_DATABASE: DATABASE, MYSQL_RANDOM_ROOT_PASSWORD: 'yes' },
        secretEnv: { MYSQL_PASSWORD: password },
        health: ['mysqladmin', 'ping', '--silent', '-h', '127.0.0.1'],
      };
    case 'redis':
      return { env: {}, secretEnv: {}, health: ['redis-cli', '-h', '127.0.0.1', 'ping'] };
  }
}

export function planServices(
  services: readonly CompanionService[],
  token: () => string = () => randomBytes(18).toString('hex'),
): ServicePlan[] {
  return services.map((service) => {
    const aliases = aliasesOf(service);
    const host = aliases[0] ?? service.kind;
    const password = token();
    const appPlain: Record<string, string> = {};
    const appSecret: Record<string, string> = {};
    for (const setting of service.settings) {
      const { value, secret } = settingValue(setting, service.kind, host, service.port, password);
      (secret ? appSecret : appPlain)[setting.name] = value;
    }
    const credentials = service.kind === 'redis' ? '' : ` (user ${USER}, database ${DATABASE})`;
    return {
      kind: service.kind,
      image: service.image,
      aliases,
      host,
      port: service.port,
      ...serviceEnv(service.kind, password),
      appPlain,
      appSecret,
      shown: `${service.image} at ${host}:${service.port}${credentials}`,
    };
  });
}

/**
 * The settings supply with the services' addresses and credentials in place of the generated
 * values: these are always supplied (a default such as `POSTGRES_SERVER = "localhost"` would
 * point the app at nothing). A password or a URL holding one goes with the secrets.
 */
export function withServiceSettings(
  supply: SettingsSupply,
  plans: readonly ServicePlan[],
  targets: readonly SettingsTarget[],
): SettingsSupply {
  const plainOverrides = Object.assign({}, ...plans.map((plan) => plan.appPlain)) as Record<string, string>;
  const secretOverrides = Object.assign({}, ...plans.map((plan) => plan.appSecret)) as Record<string, string>;
  const names = new Set([...Object.keys(plainOverrides), ...Object.keys(secretOverrides)]);
  if (names.size === 0) return supply;
  const without = (record: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(record).filter(([name]) => !names.has(name)));
  const values: SettingsValue[] = supply.values.filter((value) => !names.has(value.variable.name));
  for (const target of targets) {
    for (const variable of target.vars) {
      const value = plainOverrides[variable.name] ?? secretOverrides[variable.name];
      if (value === undefined) continue;
      values.push({ variable, importPath: target.importPath, value, digest: sha256(value) });
    }
  }
  return {
    plain: { ...without(supply.plain), ...plainOverrides },
    secret: { ...without(supply.secret), ...secretOverrides },
    values,
    unsupplied: supply.unsupplied.filter((entry) => !names.has(entry.variable.name)),
  };
}

import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { SettingsTarget, SettingsVar } from './target.js';

/**
 * The values verify feeds to the app's settings. Each is chosen so that the settings class keeps
 * it as written (its str() is the same text), which makes a digest comparison meaningful; a value
 * equal to the default would prove nothing, so generated values are random.
 */
export interface SettingsValue {
  readonly variable: SettingsVar;
  readonly importPath: string;
  readonly value: string;
  /** Hex sha256 of the value as UTF-8; this is all that ever leaves the container. */
  readonly digest: string;
}

export interface SettingsSupply {
  /** Plain values: passed as container environment. */
  readonly plain: Readonly<Record<string, string>>;
  /** Secret values: written to a 0600 env-file the engine reads, like a Kubernetes Secret. */
  readonly secret: Readonly<Record<string, string>>;
  readonly values: readonly SettingsValue[];
  /** Variables verify could not invent a safe value for, with the reason. */
  readonly unsupplied: readonly { readonly variable: SettingsVar; readonly why: string }[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Values for the settings the app cannot start without (required: no default), secrets included
 * (a Secret in production supplies them). Every other field keeps its default: a default is part
 * of what analyze read (`API_V1_STR = "/api/v1"` is the prefix of the health route), so changing
 * it would move the routes verify probes. A value given by hand is always supplied.
 */
export function supplySettings(settings: readonly SettingsTarget[]): SettingsSupply {
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  const values: SettingsValue[] = [];
  const unsupplied: { variable: SettingsVar; why: string }[] = [];
  for (const target of settings) {
    for (const variable of target.vars) {
      // A secret with a default keeps it too: `DATABASE_URL = "sqlite:///./app.db"` is a secret by
      // name, and a made-up Postgres DSN in its place would ask for a driver the app never loads.
      if (variable.value === undefined && !variable.required) {
        unsupplied.push({
          variable,
          why: variable.secret
            ? 'it has a default (a Secret in production replaces it), which the app is built to run with'
            : 'it has a default, which routes and paths may be built from',
        });
        continue;
      }
      const value = variable.value ?? testValue(variable);
      if (value === undefined) {
        unsupplied.push({ variable, why: `no safe test value for type \`${variable.type}\`` });
        continue;
      }
      (variable.secret ? secret : plain)[variable.name] = value;
      values.push({ variable, importPath: target.importPath, value, digest: sha256(value) });
    }
  }
  return { plain, secret, values, unsupplied };
}

// pydantic's URL and DSN types, and the URL-shaped names a plain `str` field carries.
const URL_TYPE = /^(AnyUrl|AnyHttpUrl|HttpUrl|AnyWebsocketUrl|WebsocketUrl|FileUrl|FtpUrl|[A-Za-z]*Dsn)$/;
const URL_NAME = /(^|_)(URL|URI|DSN)$/i;

/**
 * A URL that round-trips through pydantic unchanged (scheme, host, port and a path, so no slash is
 * added), with the scheme the type or the name asks for. The host is `.invalid` (RFC 2606): an app
 * that connects at start fails loudly instead of reaching anything real.
 */
function urlValue(type: string, name: string, token: string): string {
  const schemes: [RegExp, string, number | undefined][] = [
    [/postgres|pg_|psql|database|(^|_)db(_|$)/, 'postgresql', 5432],
    [/mysql|mariadb/, 'mysql', 3306],
    [/redis|cache|broker|celery/, 'redis', 6379],
    [/amqp|rabbit/, 'amqp', 5672],
    [/mongo/, 'mongodb', 27017],
    [/kafka/, 'kafka', 9092],
  ];
  // A DSN type names its scheme; a generic URL type (or str) leaves it to the name.
  const pick = (text: string) => schemes.find(([pattern]) => pattern.test(text.toLowerCase()));
  const [, scheme, port] = (/Dsn$/.test(type) ? pick(type) : undefined) ??
    pick(name) ?? [undefined, 'https', undefined];
  // pydantic drops a scheme's default port (https :443), so https carries none.
  const host = port === undefined ? 'slipway-verify.invalid' : `slipway-verify.invalid:${port}`;
  return `${scheme}://slipway:${token}@${host}/${scheme === 'redis' ? '0' : 'slipway'}`;
}

/** A value that round-trips through the annotated type unchanged, or undefined when none is safe. */
export function testValue(variable: SettingsVar): string | undefined {
  const type = bareType(variable.type);
  const token = randomBytes(variable.secret ? 24 : 6).toString('hex');
  if (URL_TYPE.test(type) || (/^(str|SecretStr)$/.test(type) && URL_NAME.test(variable.name)))
    return urlValue(type, variable.name, token);
  if (/^(int|PositiveInt|NonNegativeInt)$/.test(type)) return String(randomInt(10_000, 99_999));
  if (type === 'float') return `${randomInt(10_000, 99_999)}.5`;
  if (type === 'bool') return 'true';
  if (variable.secret || /^(str|SecretStr|SecretBytes|bytes)$/.test(type)) return `slipway-verify-${token}`;
  if (/^(Path|pathlib\.Path)$/.test(type)) return `/tmp/slipway-verify-${token}`;
  // pydantic-settings reads complex types as JSON; empty ones print back as written.
  if (/^(list|List|Sequence)(\[.*\])?$/.test(type)) return '[]';
  if (/^(dict|Dict|Mapping)(\[.*\])?$/.test(type)) return '{}';
  if (type === 'EmailStr') return `slipway-verify-${token}@example.com`;
  if (/^(UUID|uuid\.UUID|UUID4)$/.test(type)) return randomUUID();
  const literal = /^Literal\[(.*)\]$/.exec(type);
  if (literal?.[1]) {
    const options = [...literal[1].matchAll(/(["'])(.*?)\1/g)].map((m) => m[2] ?? '');
    return options.at(-1);
  }
  return undefined;
}

/** `str | None`, `Optional[str]`, `typing.Optional[int]` → `str`, `int`. */
function bareType(type: string): string {
  let bare = type.replace(/\s+/g, '');
  const optional = /^(?:typing\.)?Optional\[(.*)\]$/.exec(bare);
  if (optional?.[1]) bare = optional[1];
  const parts = bare.split('|').filter((part) => part !== 'None');
  bare = parts.length === 1 ? (parts[0] ?? bare) : bare;
  return bare.replace(/^(?:pydantic|typing|typing_extensions)\./, '');
}

/** Replaces every secret value in text: the last line of defence before evidence is shown. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/** KEY=VALUE lines; values are single-line tokens, so no quoting is needed or wanted. */
export function envFileText(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([key, value]) => {
      if (/[\r\n]/.test(value)) throw new Error(`${key}: an env-file value cannot span lines`);
      return `${key}=${value}\n`;
    })
    .join('');
}

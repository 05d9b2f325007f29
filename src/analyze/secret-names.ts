/**
 * Whether a setting holds a secret: by type first (pydantic SecretStr/SecretBytes, starlette
 * Secret), then by the words of its name. Names are read word by word (`_`, `-`, `.`, camelCase),
 * so `POSTGRES_PWD` is a password while `SESSION_COOKIE_KEY` and `TRACE_ID_REQUEST_HEADER_KEY`
 * are the names of a cookie and a header, and `ACCESS_TOKEN_EXPIRE_MINUTES` is a duration.
 */

const SECRET_TYPE = /\bSecret(Str|Bytes)?\b/;

// One word that is a credential wherever it stands.
const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWD',
  'PWD',
  'PASS',
  'PASSPHRASE',
  'SECRET',
  'TOKEN',
  'CREDENTIALS',
  'CREDENTIAL',
  'APIKEY',
  'PRIVATEKEY',
  'SECRETKEY',
]);

// Words saying the setting names, sizes, times or locates something: `JWT_SECRET_FILE` is a
// path, `CSRF_TOKEN_HEADER` a header name, `PASSWORD_MIN_LENGTH` a number.
const ABOUT_WORDS = new Set([
  'COOKIE',
  'HEADER',
  'NAME',
  'FIELD',
  'PARAM',
  'QUERY',
  'PREFIX',
  'FILE',
  'PATH',
  'DIR',
  'ENABLED',
  'ENABLE',
  'REQUIRED',
  'LENGTH',
  'LEN',
  'MIN',
  'MAX',
  'TTL',
  'EXPIRE',
  'EXPIRES',
  'EXPIRY',
  'EXPIRATION',
  'LIFETIME',
  'AGE',
  'SECONDS',
  'MINUTES',
  'HOURS',
  'DAYS',
  'ALGORITHM',
  'ALG',
  'TYPE',
  'URL',
  'ENDPOINT',
  'ID',
  'CACHE',
  'ROUNDS',
  'SCHEME',
  'LOCATION',
  'HASHER',
  'RESET',
]);

// `..._URL`/`_URI` of a data store carry the login in them by convention.
const STORE_WORDS = new Set([
  'DATABASE',
  'DB',
  'POSTGRES',
  'POSTGRESQL',
  'PG',
  'MYSQL',
  'MARIADB',
  'MONGO',
  'MONGODB',
  'SQLALCHEMY',
  'AMQP',
  'RABBITMQ',
  'BROKER',
]);

/** `POSTGRES_PWD` → `['POSTGRES', 'PWD']`; `apiKey` → `['API', 'KEY']`. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** A URL with a password in it (`postgres://user:pw@host/db`). */
export function urlHoldsPassword(value: string | undefined): boolean {
  return value !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:[^@/\s]+@/i.test(value);
}

export function isSecretName(name: string, value?: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  const last = words.at(-1) ?? '';
  // A DSN names a data source with its login (Sentry's holds the project key).
  if (last === 'DSN') return true;
  if (['URL', 'URI'].includes(last)) {
    return urlHoldsPassword(value) || words.slice(0, -1).some((w) => STORE_WORDS.has(w));
  }
  if (urlHoldsPassword(value)) return true;
  if (words.some((w) => ABOUT_WORDS.has(w))) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  // KEY as the last word is a key (`STRIPE_KEY`, `API_KEY`, `PRIVATE_KEY`); elsewhere
  // (`KEY_PREFIX`) it is part of another name.
  return last === 'KEY';
}

/** Secret by type, then by name; `value` is the default as written (a URL holding a password). */
export function isSecretSetting(name: string, type: string, value?: string): boolean {
  return SECRET_TYPE.test(type) || isSecretName(name, value);
}

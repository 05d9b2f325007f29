/**
 * What looks like a secret, by name or by value. The names follow analyze's settings heuristic
 * (SecretStr aside): *_KEY, *_TOKEN, *_PASSWORD, *_SECRET, credentials. Connection URLs
 * (DATABASE_URL, REDIS_URL) are judged by value instead: `redis://cache:6379` is plain
 * configuration, `postgres://app:pw@db/app` is a secret (see hasUrlCredentials).
 */
const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|CREDENTIALS?|PRIVATE_KEY|API_KEY|ACCESS_KEY|KEY|DSN)$/i;

// Names that end like a secret but are switches or paths, never the secret itself.
const NOT_SECRET = /(_FILE|_PATH|_ENABLED|_LENGTH|_TTL|_HEADER|_NAME|_ID)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name);
}

/** A URL with a password in it (`postgres://user:pw@host/db`). */
export function hasUrlCredentials(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^@/\s]+@/i.test(value);
}

/** Placeholders that are clearly not a real secret: empty, a variable reference, `changeme`-style. */
export function isPlaceholder(value: string): boolean {
  return value.trim() === '' || /^\$\{?\w+\}?$/.test(value.trim()) || /^<[^>]*>$/.test(value.trim());
}

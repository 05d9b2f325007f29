import type { ServiceKind } from './model.js';

/**
 * The URL scheme SQLAlchemy needs to reach a service with the driver the app installs, when
 * that is not the plain one: `postgresql://` means psycopg2 to SQLAlchemy and `mysql://` means
 * mysqlclient, so an app with asyncpg behind `create_async_engine`, or with psycopg 3 alone,
 * stops at start with a URL of the plain scheme ("The asyncio extension requires an async
 * driver", "No module named 'psycopg2'"). Undefined when the plain scheme is right, or when the
 * app does not use SQLAlchemy (asyncpg and psycopg themselves read only the plain one).
 */
export function sqlalchemyScheme(
  kind: ServiceKind,
  dependencies: readonly string[],
  asyncEngine: boolean,
): string | undefined {
  const has = (...names: string[]) => names.some((name) => dependencies.includes(name));
  if (!has('sqlalchemy', 'sqlmodel')) return undefined;
  if (kind === 'postgres') {
    if (asyncEngine) {
      if (has('asyncpg')) return 'postgresql+asyncpg';
      if (has('psycopg', 'psycopg-binary')) return 'postgresql+psycopg';
      return undefined;
    }
    if (has('psycopg2', 'psycopg2-binary')) return undefined;
    if (has('psycopg', 'psycopg-binary')) return 'postgresql+psycopg';
    if (has('pg8000')) return 'postgresql+pg8000';
    return undefined;
  }
  if (kind === 'mysql') {
    if (asyncEngine) {
      if (has('aiomysql')) return 'mysql+aiomysql';
      if (has('asyncmy')) return 'mysql+asyncmy';
      return undefined;
    }
    if (has('mysqlclient')) return undefined;
    if (has('pymysql')) return 'mysql+pymysql';
    if (has('mysql-connector-python')) return 'mysql+mysqlconnector';
  }
  return undefined;
}

/** SQLAlchemy's asyncio extension in the sources: the engine the URL goes to is an async one. */
export const ASYNC_ENGINE = /\b(?:create_async_engine|async_engine_from_config|AsyncEngine)\b/;

import type { CompanionService } from '../../analyze/model.js';

/**
 * A start that died because a database or cache could not be reached, read from the app's log in
 * the drivers' own words (psycopg, asyncpg, SQLAlchemy, redis-py, PyMySQL), with the advice that
 * fits: verify started no service (analyze saw none), or started them and the app looked elsewhere.
 */
const UNREACHABLE: readonly RegExp[] = [
  /could not translate host name "[^"]+"/i,
  /connection to server at "[^"]+".*?failed: .*/i,
  /Connect call failed \('[^']+', \d+\)/i,
  /Error -?\d+ connecting to [\w.-]+:\d+/i,
  /Can't connect to MySQL server on '[^']+'/i,
  /\[Errno -?\d+\] (Name or service not known|Temporary failure in name resolution|Connection refused)/i,
  /(ConnectionRefusedError|socket\.gaierror|OperationalError)\b.*/,
];

export function unreachableLine(log: string): string | undefined {
  const lines = log.split('\n').map((line) => line.trim());
  for (const pattern of UNREACHABLE) {
    const hit = [...lines].reverse().find((line) => pattern.test(line));
    if (hit) return hit.slice(0, 240);
  }
  return undefined;
}

export function unreachableHint(services: readonly CompanionService[]): string {
  if (services.length === 0) {
    return (
      'analyze found no database or cache this app needs, so verify started none: declare it with ' +
      '[tool.slipway] services = ["postgres"] (or "redis", "mysql"), and read its address from a ' +
      'setting (DATABASE_URL, POSTGRES_SERVER, REDIS_URL, ...) so verify and the manifests can set it'
    );
  }
  const settings = services.flatMap((service) => service.settings.map((setting) => setting.name));
  return `verify started ${services.map((s) => s.image).join(' and ')} and gave ${
    settings.length > 0
      ? `their addresses through ${settings.join(', ')}`
      : 'no setting their address (none names them)'
  }, yet the app connected elsewhere: build its connection from those settings, not from a host written in the code`;
}

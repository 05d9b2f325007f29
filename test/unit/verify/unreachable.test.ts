import { describe, expect, it } from 'vitest';
import type { CompanionService } from '../../../src/analyze/model.js';
import { livenessProbe } from '../../../src/verify/liveness.js';
import { unreachableLine } from '../../../src/verify/services/unreachable.js';
import { diagnoseStart } from '../../../src/verify/start-diagnosis.js';
import { defaultTarget } from '../../../src/verify/target.js';
import type { Readiness } from '../../../src/verify/wait-ready.js';

const crashed: Readiness = {
  ok: false,
  listenMs: undefined,
  first200Ms: undefined,
  path: undefined,
  attempts: 5,
  reason: 'the container exited',
  exitCode: 3,
  lastStatus: {},
  lastError: 'fetch failed',
};
const probe = livenessProbe(defaultTarget({ health: { liveness: '/healthz', readiness: '/healthz' } }));
const POSTGRES: CompanionService = {
  kind: 'postgres',
  image: 'postgres:17',
  port: 5432,
  reasons: ['setting TALLY_DATABASE_URL (type PostgresDsn)'],
  settings: [{ name: 'TALLY_DATABASE_URL', role: 'url', scheme: 'postgresql' }],
};

// The drivers' own last words when the database is not there.
const LOGS: Record<string, string> = {
  psycopg:
    'psycopg.OperationalError: connection failed: could not translate host name "db.internal" to address: Name or service not known',
  'psycopg refused':
    'sqlalchemy.exc.OperationalError: (psycopg.OperationalError) connection failed: connection to server at "10.0.0.5", port 5432 failed: Connection refused',
  asyncpg: "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 5432)",
  gaierror: 'socket.gaierror: [Errno -2] Name or service not known',
  redis:
    'redis.exceptions.ConnectionError: Error -2 connecting to cache.internal:6379. Name or service not known.',
  pymysql:
    "pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'mysql' ([Errno 111] Connection refused)\")",
};

describe('a start that could not reach its database', () => {
  it.each(Object.entries(LOGS))('%s: the driver line is found', (_, line) => {
    const log = `INFO:     Waiting for application startup.\nTraceback (most recent call last):\n  File "x"\n${line}\nERROR:    Application startup failed. Exiting.\n`;
    expect(unreachableLine(log)).toBe(line.slice(0, 240));
  });

  it('is not claimed for other crashes', () => {
    expect(
      unreachableLine("KeyError: 'DATABASE_URL'\nERROR:    Application startup failed. Exiting."),
    ).toBeUndefined();
  });

  it('without services: says verify started none and how to declare one', () => {
    const d = diagnoseStart(crashed, probe, 8000, 30, LOGS.asyncpg ?? '', undefined, []);
    expect(d.message).toBe(
      "it crashed during startup: it could not reach its database or cache (ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 5432))",
    );
    expect(d.hint).toMatch(
      /verify started none: declare it with \[tool\.slipway\] services = \["postgres"\]/,
    );
  });

  it('with services: names what verify started and the settings the app ignored', () => {
    const d = diagnoseStart(crashed, probe, 8000, 30, LOGS.gaierror ?? '', undefined, [POSTGRES]);
    expect(d.hint).toBe(
      'verify started postgres:17 and gave their addresses through TALLY_DATABASE_URL, yet the app connected elsewhere: build its connection from those settings, not from a host written in the code',
    );
  });

  it('a container still running is not a crash, whatever its log says', () => {
    const d = diagnoseStart(
      { ...crashed, exitCode: undefined },
      probe,
      8000,
      30,
      LOGS.gaierror ?? '',
      undefined,
    );
    expect(d.message).toMatch(/never listened on port 8000/);
  });
});

describe('a start that could not open its SQLite file', () => {
  it.each([
    '(sqlite3.OperationalError) unable to open database file',
    'sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) attempt to write a readonly database',
    'sqlite3.OperationalError: unable to open database file',
  ])('is told apart from an unreachable server: %s', (line) => {
    const d = diagnoseStart(
      crashed,
      probe,
      8000,
      30,
      `Traceback (most recent call last):\n${line}`,
      undefined,
      [],
    );
    expect(d.message).toMatch(/^it crashed during startup: it could not open or write its SQLite file \(/);
    expect(d.hint).toMatch(/point its URL at a writable volume, e\.g\. sqlite:\/\/\/\/data\/app\.db/);
  });

  it('is not claimed for a server the app cannot reach, nor for a running app', () => {
    expect(diagnoseStart(crashed, probe, 8000, 30, LOGS.psycopg ?? '', undefined, []).message).toMatch(
      /could not reach its database or cache/,
    );
  });
});

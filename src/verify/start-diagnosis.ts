import type { CompanionService } from '../analyze/model.js';
import type { LivenessProbe } from './liveness.js';
import { listed, type RuntimeRoutes } from './openapi.js';
import { unreachableHint, unreachableLine } from './services/unreachable.js';
import type { Readiness } from './wait-ready.js';

export interface StartDiagnosis {
  /** One sentence: what the evidence shows. */
  readonly message: string;
  /** The fix for that cause, not a generic one. */
  readonly hint: string;
  readonly evidence: readonly string[];
}

/** `Uvicorn running on http://127.0.0.1:8000`, gunicorn's `Listening at: …`, hypercorn's `Running on …`. */
const BIND_LINE = /(?:running on|listening at:?)\s+https?:\/\/(\[[^\]]+\]|[^\s:/]+):(\d+)/i;
const ERROR_LINE = /^(\w+(\.\w+)*(Error|Exception|Exit)|Error|ERROR|FATAL|CRITICAL)\b/;

/**
 * Why an app did not become alive, chosen from what verify saw: the container exited (with the
 * error from its log), the port never answered (and what the log says it bound instead), the port
 * answered but the health path is a 404 (with the routes the app does serve), or it answered but
 * not in time.
 */
const SQLITE_UNWRITABLE =
  /sqlite3\.OperationalError\)?:? (unable to open database file|attempt to write a readonly database)/;

export function diagnoseStart(
  ready: Readiness,
  probe: LivenessProbe,
  port: number,
  deadlineSeconds: number,
  log: string,
  runtime: RuntimeRoutes | string | undefined,
  services: readonly CompanionService[] = [],
): StartDiagnosis {
  const lines = log.split('\n').map((line) => line.trim());
  // A SQLite file inside the image: not a server to reach, a folder the app may not write.
  const sqlite =
    ready.exitCode !== undefined
      ? [...lines].reverse().find((line) => SQLITE_UNWRITABLE.test(line))
      : undefined;
  if (sqlite) {
    return {
      message: `it crashed during startup: it could not open or write its SQLite file (${sqlite.slice(0, 200)})`,
      hint:
        'the app keeps a SQLite database in a folder the runtime user cannot write (the code is root-owned ' +
        'and read-only, and the pod root filesystem read-only): point its URL at a writable volume, e.g. ' +
        'sqlite:////data/app.db with a volume mounted at /data, or use a database server',
      evidence: [],
    };
  }
  const unreachable = ready.exitCode !== undefined ? unreachableLine(log) : undefined;
  if (unreachable) {
    return {
      message: `it crashed during startup: it could not reach its database or cache (${unreachable})`,
      hint: unreachableHint(services),
      evidence: [],
    };
  }
  if (ready.exitCode !== undefined) {
    const error = [...lines].reverse().find((line) => ERROR_LINE.test(line));
    return {
      message: `it crashed during startup: the container exited with code ${ready.exitCode}${error ? ` (${error.slice(0, 200)})` : ''}`,
      hint:
        'the container log below says why it stopped (a required setting missing, a database it cannot ' +
        'reach, an import error): fix that, then verify again',
      evidence: [],
    };
  }
  if (ready.listenMs === undefined) {
    const bind = lines.map((line) => BIND_LINE.exec(line)).find(Boolean);
    const host = bind?.[1];
    const bound = bind?.[2] ? Number(bind[2]) : undefined;
    if (host && /^(127\.|localhost$|\[::1\]$)/.test(host)) {
      return {
        message: `it listens on ${host}:${bound} inside the container, which nothing outside it can reach`,
        hint: `bind all interfaces: \`uvicorn … --host 0.0.0.0 --port ${port}\` (or UVICORN_HOST=0.0.0.0)`,
        evidence: [`log: ${bind?.[0]}`],
      };
    }
    if (bound !== undefined && bound !== port) {
      return {
        message: `it listens on port ${bound}, not on ${port} where verify and the manifests expect it`,
        hint: `run it with \`--port ${port}\`, or set [tool.slipway] port = ${bound}`,
        evidence: [`log: ${bind?.[0]}`],
      };
    }
    return {
      message: `it never listened on port ${port} within ${deadlineSeconds} s (last: ${ready.lastError ?? 'no answer'})`,
      hint: bind
        ? `the log says it bound ${bind[0]}, yet port ${port} never answered: check the published port and --host 0.0.0.0`
        : 'the log shows no server line: startup did not finish (a lifespan waiting on a database or a ' +
          `service?) or the command never starts a server; run uvicorn with \`--host 0.0.0.0 --port ${port}\``,
      evidence: [],
    };
  }
  const statuses = probe.paths.map((path) => `GET ${path} → ${ready.lastStatus[path] ?? 'no answer'}`);
  if (probe.route && probe.paths.every((path) => ready.lastStatus[path] === 404)) {
    const served = typeof runtime === 'object' ? runtime.routes : undefined;
    return {
      message: `it is listening, but ${statuses.join(', ')}: the health route is not at that path`,
      hint:
        'the app serves the routes listed in the evidence, not the probe path: a prefix from settings or a ' +
        'router that is not included? Point [tool.slipway] health.liveness at the real route',
      evidence: [
        `routes at run time: ${served ? listed(served) : typeof runtime === 'string' ? `unknown (${runtime})` : 'unknown'}`,
      ],
    };
  }
  return {
    message: `it answered, but not as wanted within ${deadlineSeconds} s (${statuses.join(', ')}; want ${probe.describe})`,
    hint:
      'it is up but not healthy by the deadline: if the status is a 5xx the log shows the error; if it is ' +
      'still starting, make the lifespan startup faster (or move slow work out of it)',
    evidence: [],
  };
}

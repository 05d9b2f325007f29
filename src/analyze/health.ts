import type { HealthRoutes, RouteInfo } from './model.js';

/** What a path's last segment says about the probe it is meant for. */
type Kind = 'live' | 'ready' | 'generic';

const LIVE = new Set(['livez', 'live', 'liveness', 'alive', 'livenessprobe']);
const READY = new Set(['readyz', 'ready', 'readiness', 'readinessprobe']);
const GENERIC = new Set([
  'health',
  'healthz',
  'healthcheck',
  'health-check',
  'health_check',
  'status',
  'ping',
]);

/**
 * Words that name a probe only at the top of the API: `/status` and `/api/v1/ping` are the app's
 * own, `/rewards/daily/status` or `/streams/live` are a resource's (often behind auth).
 */
const AMBIGUOUS = new Set(['status', 'ping', 'live', 'alive', 'ready']);
/** Segments a probe path may sit under: API prefixes and versions, ops folders, health itself. */
const PROBE_PARENT =
  /^(?:api|v\d+(?:\.\d+)?|internal|ops|system|sys|monitoring|management|meta|public|_+\w*|health\w*|status)$/;

export function healthKind(path: string): Kind | undefined {
  if (path.includes('{')) return undefined;
  const segments = path.toLowerCase().split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  if (AMBIGUOUS.has(last) && !segments.slice(0, -1).every((segment) => PROBE_PARENT.test(segment))) {
    return undefined;
  }
  if (LIVE.has(last)) return 'live';
  if (READY.has(last)) return 'ready';
  if (GENERIC.has(last)) return 'generic';
  return undefined;
}

/**
 * Picks probe paths among the app's GET routes. Liveness prefers live-ish names, then generic
 * ones (/healthz); readiness prefers ready-ish names, then generic ones. A probe that finds no
 * route of its preferred kinds takes the other one, so a single health route serves both.
 */
export function pickHealth(routes: readonly RouteInfo[], override: Partial<HealthRoutes> = {}): HealthRoutes {
  const candidates = routes
    .filter((r) => (r.method === 'GET' || r.method === 'HEAD') && r.unknownPrefix === undefined)
    .map((r) => ({ path: r.path, kind: healthKind(r.path) }))
    .filter((c): c is { path: string; kind: Kind } => c.kind !== undefined);
  // Shorter paths first (/healthz before /api/v1/healthz); sort is stable, so source order breaks ties.
  candidates.sort((a, b) => a.path.length - b.path.length);
  const first = (...kinds: Kind[]) => {
    for (const kind of kinds) {
      const found = candidates.find((c) => c.kind === kind);
      if (found) return found.path;
    }
    return undefined;
  };
  const liveness = override.liveness ?? first('live', 'generic', 'ready');
  const readiness = override.readiness ?? first('ready', 'generic', 'live') ?? liveness;
  return { liveness: liveness ?? override.readiness, readiness };
}

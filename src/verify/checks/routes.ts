import { type CheckOutcome, fail, pass, skip, type VerifyCheck } from '../check.js';
import { poll, tryGet } from '../http.js';
import { listed, readRuntimeRoutes, samePath } from '../openapi.js';

/**
 * The routes the running app declares (its OpenAPI document) against the routes analyze read in
 * the sources. A probe path the app does not serve fails, with both lists: that is the path the
 * kubelet will ask. Routes seen only at run time (mounted apps, routers built by functions) and
 * routes analyze found that the document lacks are reported, not failed on.
 */
export const routesCheck: VerifyCheck = {
  id: 'verify.routes',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.routes',
  title: "routes at run time match analyze's, probe paths included",
  hint:
    'the probe path is not a route of the running app: point [tool.slipway] health.liveness / ' +
    'health.readiness at a route it serves (see the run-time list), or add the route',
  async run(context): Promise<CheckOutcome> {
    const { target } = context;
    if (!target.openapiPath) return skip('the app serves no OpenAPI document (openapi_url=None)');
    const app = await context.standard();
    // verify.starts may have failed on a 404 health path: the app can still be listening.
    const listening = await poll(
      async () => {
        const answer = await tryGet(`${app.baseUrl}${target.openapiPath}`);
        if (!('error' in answer)) return true;
        const state = await context.engine.state(app.id).catch(() => undefined);
        return state && !state.running ? false : undefined;
      },
      { deadlineMs: Math.max(0, target.startDeadlineSeconds * 1000 - (Date.now() - app.startedAt)) },
    );
    if (!listening.ok || !listening.value) return skip('the app is not answering (see verify.starts)');
    const runtime = await readRuntimeRoutes(app.baseUrl, target.openapiPath);
    if (typeof runtime === 'string') return skip(`no run-time routes to compare: ${runtime}`);
    const evidence = [`${runtime.routes.length} routes at run time (OpenAPI ${runtime.version})`];
    const probes = [...new Set([target.health.liveness, target.health.readiness])].filter(
      (path): path is string => Boolean(path),
    );
    const missing: string[] = [];
    for (const path of probes) {
      if (runtime.paths.some((p) => samePath(p, path))) continue;
      // Health routes are often left out of the schema (include_in_schema=False): ask the route.
      const answer = await tryGet(`${app.baseUrl}${path}`, 5_000);
      if (!('error' in answer) && answer.status !== 404) {
        evidence.push(
          `probe ${path}: not in the OpenAPI document, but answers ${answer.status} (hidden from the schema)`,
        );
      } else {
        missing.push(path);
      }
    }
    const known = target.routes;
    if (known) {
      const seen = (path: string) => runtime.paths.some((p) => samePath(p, path));
      const onlyAnalyzed = [...new Set(known.map((r) => r.path))].filter(
        (path) => !seen(path) && !probes.includes(path),
      );
      const onlyRuntime = runtime.paths.filter((path) => !known.some((r) => samePath(r.path, path)));
      evidence.push(`${known.length} routes found by analyze (target from ${target.source})`);
      if (onlyRuntime.length > 0) evidence.push(`only at run time: ${listed(onlyRuntime)}`);
      if (onlyAnalyzed.length > 0)
        evidence.push(`found by analyze, not in the OpenAPI document: ${listed(onlyAnalyzed)}`);
    }
    if (missing.length > 0) {
      return fail(`the probe path ${missing.join(', ')} is not a route of the running app`, [
        ...evidence,
        `routes at run time: ${listed(runtime.routes)}`,
        `routes found by analyze: ${known ? listed(known.map((r) => `${r.method} ${r.path}`)) : 'unknown (no project)'}`,
      ]);
    }
    if (!known) {
      return probes.length > 0
        ? pass(`the probe paths ${probes.join(', ')} are routes of the running app`, evidence)
        : skip('no routes from analyze and no probe path to compare with the run-time routes', evidence);
    }
    return pass(
      probes.length > 0
        ? `the probe paths ${probes.join(', ')} are served; ${runtime.routes.length} run-time routes compared`
        : `${runtime.routes.length} run-time routes compared with analyze's`,
      evidence,
    );
  },
};

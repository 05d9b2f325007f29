import { describe, expect, it } from 'vitest';
import { healthKind, pickHealth } from '../../../src/analyze/health.js';
import type { RouteInfo } from '../../../src/analyze/model.js';
import { buildRouteGraph, rootObjects, routesOf } from '../../../src/analyze/routes.js';
import { modulesOf } from './helpers.js';

const routes = (sources: Record<string, string>, app: string) =>
  routesOf(buildRouteGraph(modulesOf(sources)), app).map((r) => `${r.method} ${r.path}`);

describe('route prefix resolution', () => {
  it('applies APIRouter prefixes and include_router prefixes across relative imports', () => {
    const found = routes(
      {
        'svc/__init__': '',
        'svc.main': `
from fastapi import FastAPI
from .routes import health
from .routes.items import router as items_router
from . import admin

app = FastAPI()
app.include_router(health.router)
app.include_router(items_router, prefix="/api/v1")
app.include_router(router=admin.router, prefix="/admin")
`,
        'svc.routes/__init__': '',
        'svc.routes.health': `
from fastapi import APIRouter
router = APIRouter(prefix="/health", tags=["health"])

@router.get("/live")
def live(): ...

@router.api_route("/ready", methods=["GET", "HEAD"])
def ready(): ...
`,
        'svc.routes.items': `
import fastapi
from ..deps import auth
router = fastapi.APIRouter(prefix="/items")
nested = fastapi.APIRouter()

@router.get("")
def list_items(): ...

@nested.delete("/{id}")
def delete(): ...

router.include_router(nested, prefix="/by-id")
`,
        'svc.admin': `
from fastapi import APIRouter
router = APIRouter()

def stats(): ...

router.add_api_route("/stats", stats)
router.add_api_route("/reset", stats, methods=["POST"])
`,
      },
      'svc.main:app',
    );
    expect(found).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'HEAD /health/ready',
      'GET /api/v1/items',
      'DELETE /api/v1/items/by-id/{id}',
      'GET /admin/stats',
      'POST /admin/reset',
    ]);
  });

  it('follows absolute imports, module aliases and mounted sub-apps', () => {
    const sources = {
      'shop.main': `
import shop.api.v1 as v1
from fastapi import FastAPI
from shop.sub import sub_app

app = FastAPI()
app.include_router(v1.router, prefix="/v1")
app.mount("/sub", sub_app)

@app.get("/ping")
async def ping(): ...
`,
      'shop.api/__init__': '',
      'shop.api.v1': `
from fastapi import APIRouter
router = APIRouter()
@router.post("/orders")
def create(): ...
`,
      'shop.sub': `
from fastapi import FastAPI
sub_app = FastAPI()
@sub_app.get("/healthz")
def healthz(): ...
`,
    };
    expect(routes(sources, 'shop.main:app')).toEqual(['GET /ping', 'POST /v1/orders', 'GET /sub/healthz']);
    // The mounted app and the router are included somewhere: only the main app is a root.
    expect(rootObjects(buildRouteGraph(modulesOf(sources))).map((o) => o.key)).toEqual(['shop.main:app']);
  });

  it('resolves a router re-exported by a package __init__', () => {
    expect(
      routes(
        {
          main: 'from fastapi import FastAPI\nfrom api import router\napp = FastAPI()\napp.include_router(router, prefix="/api")\n',
          'api/__init__': 'from .v2 import router\n',
          'api.v2':
            'from fastapi import APIRouter\nrouter = APIRouter(prefix="/v2")\n@router.get("/status")\ndef s(): ...\n',
        },
        'main:app',
      ),
    ).toEqual(['GET /api/v2/status']);
  });
});

describe('health routes', () => {
  const route = (path: string, method = 'GET'): RouteInfo => ({ method, path, file: 'main.py', line: 1 });

  it('prefers live-ish names for liveness and ready-ish names for readiness', () => {
    expect(pickHealth([route('/healthz'), route('/readyz')])).toEqual({
      liveness: '/healthz',
      readiness: '/readyz',
    });
    expect(pickHealth([route('/readyz'), route('/livez'), route('/healthz')])).toEqual({
      liveness: '/livez',
      readiness: '/readyz',
    });
    expect(pickHealth([route('/health/ready'), route('/health/live')])).toEqual({
      liveness: '/health/live',
      readiness: '/health/ready',
    });
  });

  it('uses a single health route for both probes, and ignores other methods and parameters', () => {
    expect(pickHealth([route('/ping'), route('/status', 'POST'), route('/{name}/health')])).toEqual({
      liveness: '/ping',
      readiness: '/ping',
    });
    expect(pickHealth([route('/ready')])).toEqual({ liveness: '/ready', readiness: '/ready' });
    expect(pickHealth([route('/items')])).toEqual({ liveness: undefined, readiness: undefined });
  });

  it("takes /status, /ping, /live and /ready at the top of the API only, not under a resource's path", () => {
    for (const path of [
      '/status',
      '/api/status',
      '/api/v1/ping',
      '/health/live',
      '/_ops/ready',
      '/internal/alive',
    ]) {
      expect(healthKind(path), path).toBeDefined();
    }
    for (const path of [
      '/rewards/daily/status',
      '/orders/status',
      '/users/ping',
      '/streams/live',
      '/jobs/ready',
    ]) {
      expect(healthKind(path), path).toBeUndefined();
    }
    // Names that only mean a probe count under any prefix.
    for (const path of ['/inventory/healthz', '/shop/api/health', '/svc/readyz', '/svc/livez']) {
      expect(healthKind(path), path).toBeDefined();
    }
    expect(pickHealth([route('/rewards/daily/status'), route('/items')])).toEqual({
      liveness: undefined,
      readiness: undefined,
    });
  });

  it('lets [tool.slipway] health override each probe', () => {
    const found = [route('/healthz'), route('/readyz')];
    expect(pickHealth(found, { liveness: '/alive' })).toEqual({ liveness: '/alive', readiness: '/readyz' });
    expect(pickHealth([], { readiness: '/r' })).toEqual({ liveness: '/r', readiness: '/r' });
  });
});

import { describe, expect, it } from 'vitest';
import { findAppCandidates } from '../../../src/analyze/app.js';
import { pickHealth } from '../../../src/analyze/health.js';
import { buildRouteGraph, prefixWarnings, routesOf } from '../../../src/analyze/routes.js';
import { modulesOf } from './helpers.js';

const graphOf = (sources: Record<string, string>) => buildRouteGraph(modulesOf(sources));
const paths = (sources: Record<string, string>, app = 'app.main:app') =>
  routesOf(graphOf(sources), app).map((r) => `${r.method} ${r.path}${r.unknownPrefix ? ' (unknown)' : ''}`);

const HEALTH = `
from fastapi import APIRouter
router = APIRouter(prefix="/utils")
@router.get("/health-check/")
def health(): ...
`;
const main = (include: string, head = '') => `
from fastapi import FastAPI
from app.routes import router
${head}
app = FastAPI()
app.include_router(router, ${include})
`;

describe('route prefixes the sources fix', () => {
  const SETTINGS = `
from pydantic_settings import BaseSettings
from pydantic import Field

class ApiSettings(BaseSettings):
    prefix: str = "/edge"

class Settings(BaseSettings):
    API_V1_STR: str = "/api/v1"
    API_V2: str = Field("/api/v2", description="v2")
    api: ApiSettings = ApiSettings()

settings = Settings()
`;
  it.each([
    [
      'a settings-class default through the settings instance',
      'prefix=settings.API_V1_STR',
      'from app.config import settings',
      '/api/v1',
    ],
    ['a Field default', 'prefix=settings.API_V2', 'from app.config import settings', '/api/v2'],
    ['a nested settings model', 'prefix=settings.api.prefix', 'from app.config import settings', '/edge'],
    ['a module constant', 'prefix=API', 'API = "/api"', '/api'],
    ['an imported constant', 'prefix=VERSION_PREFIX', 'from app.consts import VERSION_PREFIX', '/v3'],
    [
      'an f-string over settings',
      'prefix=f"{settings.API_V1_STR}/internal"',
      'from app.config import settings',
      '/api/v1/internal',
    ],
    ['concatenation', 'prefix=BASE + "/x"', 'BASE = "/base"', '/base/x'],
    ['a module attribute', 'prefix=consts.VERSION_PREFIX', 'from app import consts', '/v3'],
    [
      'a cached settings getter',
      'prefix=get_settings().API_V1_STR',
      'from app.deps import get_settings',
      '/api/v1',
    ],
    ['a class attribute', 'prefix=Paths.ROOT', 'class Paths:\n    ROOT = "/root"', '/root'],
  ])('%s', (_name, include, head, prefix) => {
    const found = paths({
      'app/__init__': '',
      'app.main': main(include, head),
      'app.routes': HEALTH,
      'app.config': SETTINGS,
      'app.consts': 'VERSION_PREFIX = "/v3"\n',
      'app.deps':
        'from functools import lru_cache\nfrom app.config import Settings\n\n@lru_cache\ndef get_settings():\n    return Settings()\n',
    });
    expect(found).toEqual([`GET ${prefix}/utils/health-check/`]);
  });

  it.each([
    ['a setting without a default', 'prefix=settings.ROOT', 'from app.config import settings'],
    ['a call of an outside function', 'prefix=os.environ.get("PREFIX", "/")', 'import os'],
    ['a function parameter', 'prefix=prefix', 'prefix = compute()'],
    ['an f-string over an unknown', 'prefix=f"/{version}"', 'from elsewhere import version'],
  ])('%s stays unknown, with a warning, and is no probe route', (_name, include, head) => {
    const sources = {
      'app/__init__': '',
      'app.main': main(include, head),
      'app.routes': HEALTH,
      'app.config':
        'from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    ROOT: str\nsettings = S()\n',
    };
    const routes = routesOf(graphOf(sources), 'app.main:app');
    expect(routes.map((r) => [r.path, r.unknownPrefix !== undefined])).toEqual([
      ['/utils/health-check/', true],
    ]);
    expect(pickHealth(routes)).toEqual({ liveness: undefined, readiness: undefined });
    expect(prefixWarnings(routes)).toEqual([
      expect.stringContaining('(app/main.py:6) is not a value the sources fix'),
    ]);
  });
});

describe('routers across modules', () => {
  it('follows `src.`-rooted imports when src/ is the import root', () => {
    expect(
      paths(
        {
          'api/__init__': '',
          'api.main':
            'from fastapi import FastAPI\nfrom src.api.v1.items import router\napp = FastAPI()\napp.include_router(router, prefix="/v1")\n',
          'api.v1/__init__': '',
          'api.v1.items':
            'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/items")\ndef items(): ...\n',
        },
        'api.main:app',
      ),
    ).toEqual(['GET /v1/items']);
  });

  it('follows routers built by a function, called in include_router or bound to a name', () => {
    const sources = {
      'app/__init__': '',
      'app.routers': `
from fastapi import APIRouter
def build_final_router() -> APIRouter:
    final = APIRouter(prefix="/api")
    @final.get("/ping")
    def ping(): ...
    return final
def other():
    r = APIRouter()
    @r.get("/status")
    def status(): ...
    return r
`,
      'app.main': `
from fastapi import FastAPI
from app.routers import build_final_router, other
status_router = other()
app = FastAPI()
app.include_router(build_final_router())
app.include_router(status_router, prefix="/x")
`,
    };
    expect(paths(sources)).toEqual(['GET /api/ping', 'GET /x/status']);
  });

  it('binds a factory parameter to what its module-level call passes', () => {
    const sources = {
      'app/__init__': '',
      'app.factory':
        'from fastapi import FastAPI\ndef create_app(router, settings):\n    app = FastAPI()\n    app.include_router(router, prefix="/v1")\n    return app\n',
      'app.routes':
        'from fastapi import APIRouter\napi_router = APIRouter()\n@api_router.get("/healthz")\ndef h(): ...\n',
      'app.main':
        'from app.factory import create_app\nfrom app.routes import api_router\napp = create_app(api_router, settings=None)\n',
    };
    const modules = modulesOf(sources);
    const graph = buildRouteGraph(modules);
    const [candidate, ...others] = findAppCandidates(modules, graph);
    // The module-level app wins over the factory that makes it (which uvicorn --factory could not call).
    expect(others).toEqual([]);
    expect(candidate).toMatchObject({ module: 'app.main', attribute: 'app', factory: false });
    expect(routesOf(graph, candidate?.objectKey ?? '').map((r) => r.path)).toEqual(['/v1/healthz']);
  });
});

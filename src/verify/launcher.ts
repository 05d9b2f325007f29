import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunVariant } from './check.js';

/**
 * The launcher that lets verify.graceful-shutdown hold a request really in flight in any app. It is
 * a `sitecustomize` module on PYTHONPATH (read-only bind mount), so every Python process the
 * image's own command starts (uvicorn, gunicorn and its workers, `fastapi run`, a prestart script
 * that ends in exec) loads it, whatever the CMD is. It hooks the import of `starlette.applications`
 * (which FastAPI builds on) and wraps `Starlette.__call__` with one extra route, held until verify
 * has sent SIGTERM (it writes RELEASE_FILE into the launcher's folder once the signal is
 * delivered), answered a moment later, and prints a marker when the lifespan shutdown completes. Then it loads the image's
 * own sitecustomize, if there is one. The image and its command stay as they are.
 */
export const LAUNCHER_MOUNT = '/__slipway__/launcher';
export const SLOW_PATH = '/__slipway__/slow';
export const MARK = 'slipway-launcher:';
export const SLOW_STARTED = `${MARK} slow request started`;
export const LIFESPAN_DONE = `${MARK} lifespan shutdown complete`;
/** Written into the launcher's folder after SIGTERM has been delivered: the slow route may answer. */
export const RELEASE_FILE = 'signalled';
/** How long the slow route still holds its request once released: the server is shutting down by then. */
export const AFTER_RELEASE_SECONDS = 0.2;

const SITECUSTOMIZE = `
"""slipway verify's launcher (verify.graceful-shutdown only): one slow route, then out of the way."""
import importlib.machinery, importlib.util, os, sys

_PATH = os.environ.get('SLIPWAY_SLOW_PATH', '/__slipway__/slow')
_SECONDS = float(os.environ.get('SLIPWAY_SLOW_SECONDS', '2'))
_RELEASE = os.environ.get('SLIPWAY_SLOW_RELEASE', '')
_AFTER = float(os.environ.get('SLIPWAY_SLOW_AFTER_RELEASE', '0.2'))
_HERE = os.path.dirname(os.path.abspath(__file__))


def _say(message):
    try:
        print('slipway-launcher: ' + message, file=sys.stderr, flush=True)
    except Exception:
        pass


async def _sleep(seconds):
    try:
        import anyio
    except ImportError:
        import asyncio
        await asyncio.sleep(seconds)
    else:
        await anyio.sleep(seconds)


async def _hold():
    # Until verify says SIGTERM was delivered (the request is then in flight at the signal by
    # construction), then a moment more; at most _SECONDS when no word comes.
    step = 0.05
    waited = 0.0
    while waited < _SECONDS:
        if _RELEASE and os.path.exists(_RELEASE):
            await _sleep(_AFTER)
            return 'released'
        await _sleep(step)
        waited += step
    return 'timed out'


def _wrap(cls):
    if getattr(cls, '_slipway_wrapped', False):
        return
    original = cls.__call__

    async def __call__(self, scope, receive, send):
        kind = scope.get('type')
        if kind == 'http' and scope.get('path') == _PATH:
            _say('slow request started (at most %gs)' % _SECONDS)
            how = await _hold()
            body = b'{"slipway": "slow request done"}'
            headers = [(b'content-type', b'application/json'), (b'content-length', str(len(body)).encode())]
            await send({'type': 'http.response.start', 'status': 200, 'headers': headers})
            await send({'type': 'http.response.body', 'body': body})
            _say('slow request answered (%s)' % how)
            return None
        if kind == 'lifespan':
            async def watched(message):
                await send(message)
                if message.get('type') == 'lifespan.shutdown.complete':
                    _say('lifespan shutdown complete')
            return await original(self, scope, receive, watched)
        return await original(self, scope, receive, send)

    cls.__call__ = __call__
    cls._slipway_wrapped = True
    _say('slow route %s added (pid %d)' % (_PATH, os.getpid()))


class _Hook:
    def find_spec(self, name, path=None, target=None):
        if name != 'starlette.applications':
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, 'exec_module'):
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            try:
                _wrap(module.Starlette)
            except Exception as error:
                _say('could not add the slow route: %r' % (error,))

        spec.loader.exec_module = exec_module
        return spec


def _chain():
    for entry in sys.path:
        if os.path.abspath(entry or '.') == _HERE:
            continue
        spec = importlib.machinery.PathFinder.find_spec('sitecustomize', [entry or '.'])
        if spec is not None and spec.loader is not None:
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
            return


if 'starlette.applications' in sys.modules:
    _wrap(sys.modules['starlette.applications'].Starlette)
else:
    sys.meta_path.insert(0, _Hook())
try:
    _chain()
except Exception as error:
    _say('the image sitecustomize failed: %r' % (error,))
`;

/**
 * Writes the launcher into `dir` (readable by any uid) and returns the run variant that loads it.
 * `slowSeconds` is how long the slow route holds a request at most, when releaseSlowRequest(dir)
 * is never called.
 */
export async function launcherVariant(
  dir: string,
  imageEnv: readonly string[],
  slowSeconds: number,
): Promise<RunVariant> {
  await mkdir(dir, { recursive: true });
  await rm(join(dir, RELEASE_FILE), { force: true });
  await writeFile(join(dir, 'sitecustomize.py'), SITECUSTOMIZE);
  await chmod(join(dir, 'sitecustomize.py'), 0o644);
  await chmod(dir, 0o755);
  const own = imageEnv.find((entry) => entry.startsWith('PYTHONPATH='))?.slice('PYTHONPATH='.length);
  return {
    binds: { [dir]: LAUNCHER_MOUNT },
    env: {
      PYTHONPATH: own ? `${LAUNCHER_MOUNT}:${own}` : LAUNCHER_MOUNT,
      SLIPWAY_SLOW_PATH: SLOW_PATH,
      SLIPWAY_SLOW_SECONDS: String(slowSeconds),
      SLIPWAY_SLOW_RELEASE: `${LAUNCHER_MOUNT}/${RELEASE_FILE}`,
      SLIPWAY_SLOW_AFTER_RELEASE: String(AFTER_RELEASE_SECONDS),
    },
  };
}

/** Lets the slow route answer (the launcher folder is bind-mounted: the container sees the file). */
export async function releaseSlowRequest(dir: string): Promise<void> {
  await writeFile(join(dir, RELEASE_FILE), '');
  await chmod(join(dir, RELEASE_FILE), 0o644);
}

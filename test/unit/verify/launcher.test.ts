import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIFESPAN_DONE, launcherVariant, SLOW_STARTED } from '../../../src/verify/launcher.js';
import { inCI } from '../../helpers/testbed.js';

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;

/** An app on the fixture's Starlette stand-in, a lifespan cycle, then the slow route and a normal one. */
const DRIVE = `
import asyncio, json, time
from starlette.applications import Starlette
import image_site_ran

class App(Starlette):  # as FastAPI does: its own __call__, then Starlette's
    async def __call__(self, scope, receive, send):
        await super().__call__(scope, receive, send)

async def call(app, scope, messages=({'type': 'http.request'},)):
    sent, queue = [], list(messages)
    async def receive(): return queue.pop(0)
    async def send(m): sent.append(m)
    await app(scope, receive, send)
    return sent

async def main():
    app = App({})
    await call(app, {'type': 'lifespan'}, [{'type': 'lifespan.startup'}, {'type': 'lifespan.shutdown'}])
    start = time.monotonic()
    slow = await call(app, {'type': 'http', 'path': '/__slipway__/slow'})
    other = await call(app, {'type': 'http', 'path': '/missing'})
    print(json.dumps({'slow': slow[0]['status'], 'held': round(time.monotonic() - start, 1), 'other': other[0]['status']}))

asyncio.run(main())
`;

// Under CI a missing Python fails the test instead of skipping it (the machine has one).
describe.skipIf(!python && !inCI)('the launcher in a real interpreter', () => {
  it('adds the slow route to Starlette apps, marks the lifespan shutdown, and runs the image own sitecustomize', async () => {
    const root = mkdtempSync(join(tmpdir(), 'launcher-py-'));
    const variant = await launcherVariant(join(root, 'launcher'), [], 0.3);
    // The fixture images' Starlette stand-in, and an image whose own sitecustomize must still run.
    const site = join(root, 'site');
    mkdirSync(join(site, 'starlette'), { recursive: true });
    writeFileSync(join(site, 'starlette', '__init__.py'), '');
    execFileSync('cp', [
      join(import.meta.dirname, '..', '..', 'fixtures', 'images', 'common', 'starlette', 'applications.py'),
      join(site, 'starlette', 'applications.py'),
    ]);
    writeFileSync(join(site, 'sitecustomize.py'), "import sys; sys.modules['image_site_ran'] = sys\n");
    const mount = Object.keys(variant.binds ?? {})[0] as string;
    const run = spawnSync(python as string, ['-c', DRIVE], {
      env: { ...variant.env, PATH: process.env.PATH, PYTHONPATH: `${mount}:${site}` },
      encoding: 'utf8',
    });
    expect(run.stderr).toContain(SLOW_STARTED);
    expect(run.stderr).toContain(LIFESPAN_DONE);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ slow: 200, held: 0.3, other: 404 });
  });
});

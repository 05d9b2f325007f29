import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LIFESPAN_DONE,
  launcherVariant,
  RELEASE_FILE,
  releaseSlowRequest,
  SLOW_STARTED,
} from '../../../src/verify/launcher.js';
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
/** The fixture images' Starlette stand-in, and an image sitecustomize that must still run. */
function imageSite(root: string): string {
  const site = join(root, 'site');
  mkdirSync(join(site, 'starlette'), { recursive: true });
  writeFileSync(join(site, 'starlette', '__init__.py'), '');
  execFileSync('cp', [
    join(import.meta.dirname, '..', '..', 'fixtures', 'images', 'common', 'starlette', 'applications.py'),
    join(site, 'starlette', 'applications.py'),
  ]);
  writeFileSync(join(site, 'sitecustomize.py'), "import sys; sys.modules['image_site_ran'] = sys\n");
  return site;
}

describe.skipIf(!python && !inCI)('the launcher in a real interpreter', () => {
  it('adds the slow route to Starlette apps, marks the lifespan shutdown, and runs the image own sitecustomize', async () => {
    const root = mkdtempSync(join(tmpdir(), 'launcher-py-'));
    const variant = await launcherVariant(join(root, 'launcher'), [], 0.3);
    const site = imageSite(root);
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

  it('holds the slow request until it is released, then answers at once, not after the longest hold', async () => {
    const root = mkdtempSync(join(tmpdir(), 'launcher-release-'));
    const dir = join(root, 'launcher');
    const variant = await launcherVariant(dir, [], 20);
    const site = imageSite(root);
    // Outside a container, the release file is read where it is written, not at the mount.
    const env = { ...variant.env, SLIPWAY_SLOW_RELEASE: join(dir, RELEASE_FILE), PATH: process.env.PATH };
    const child = spawn(python as string, ['-c', DRIVE], {
      env: { ...env, PYTHONPATH: `${dir}:${site}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // Released once the request is seen in flight, as verify does after SIGTERM.
      if (stderr.includes(SLOW_STARTED)) void releaseSlowRequest(dir);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('slow request answered (released)');
    const held = (JSON.parse(stdout) as { held: number }).held;
    expect(held).toBeGreaterThanOrEqual(0.2);
    expect(held).toBeLessThan(10);
    // A new run of the check starts unreleased.
    await launcherVariant(dir, [], 20);
    expect(existsSync(join(dir, RELEASE_FILE))).toBe(false);
  });
});

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { realEngine } from '../helpers/engine.js';

const fixture = join(repoRoot, 'test', 'fixtures', 'projects', 'flat-module');
const images: string[] = [];

/** A fresh copy of the flat-module fixture. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-build-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

/** Runs init, then changes the generated Dockerfile the way a user's hand edit would. */
async function initWith(dir: string, edit: (dockerfile: string) => string): Promise<void> {
  const result = await runCli(['init', dir]);
  expect(result.code, result.stderr).toBe(0);
  const path = join(dir, 'Dockerfile');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

afterAll(async () => {
  await (await realEngine()).removeImages(images);
});

describe('slipway build (CLI)', () => {
  it('reports the image id, size, tags and a layer table', async () => {
    const dir = project();
    await initWith(dir, (d) => d);
    const result = await runCli(['build', dir]);
    expect(result.code, result.stderr).toBe(0);
    images.push('flat-module:0.1.0');
    expect(result.stdout).toMatch(/^image +flat-module:0\.1\.0$/m);
    expect(result.stdout).toMatch(/^id +sha256:[0-9a-f]{64}$/m);
    expect(result.stdout).toMatch(/^size +\d+\.\d MB$/m);
    expect(result.stdout).toMatch(/^ +SIZE +CREATED BY$/m);
    expect(result.stdout).toMatch(/\(base image\)/);
    // Progress goes to stderr, one line per finished step when not on a terminal.
    expect(result.stderr).toMatch(
      /\[builder \d+\/\d+\] RUN .*uv sync --locked --no-install-project --no-dev/,
    );
  });

  it('names the failing step and shows the engine error, exit 1', async () => {
    const dir = project();
    await initWith(dir, (d) =>
      d.replace(/^WORKDIR \/app$/m, 'WORKDIR /app\nRUN echo "broken on purpose" && exit 7'),
    );
    const result = await runCli(['build', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /slipway: step \[builder \d+\/\d+\] RUN echo "broken on purpose" && exit 7 failed/,
    );
    expect(result.stderr).toMatch(/exit code: 7/);
  });

  it('passes build secrets as BuildKit secret mounts, never into a layer or the history', async () => {
    const dir = project();
    const token = `tok-${process.pid}-${Date.now()}`;
    // The step fails unless the secret is mounted for it, and the next one unless it is gone again.
    await initWith(dir, (d) =>
      d.replace(
        /^WORKDIR \/app$/m,
        'WORKDIR /app\nRUN --mount=type=secret,id=index_token test -s /run/secrets/index_token\n' +
          'RUN test ! -e /run/secrets/index_token',
      ),
    );
    const secretFile = join(dir, '..', `${process.pid}-token`);
    writeFileSync(secretFile, token, { mode: 0o600 });
    const result = await runCli(['build', dir, '--secret', `id=index_token,src=${secretFile}`]);
    expect(result.code, result.stderr).toBe(0);
    const engine = await realEngine();
    const history = await engine.history('flat-module:0.1.0');
    expect(JSON.stringify(history)).not.toContain(token);
    const info = await engine.inspectImage('flat-module:0.1.0');
    expect(JSON.stringify(info)).not.toContain(token);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it('refuses a malformed --secret with exit 2', async () => {
    const result = await runCli(['build', fixture, '--secret', 'index_token']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/expected id=NAME,src=FILE/);
  });
});

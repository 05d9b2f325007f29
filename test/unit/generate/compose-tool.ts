import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withMarker } from '../../../src/generate/write.js';

/**
 * A Compose v2 implementation to validate generated files with: `docker compose` (the CLI plugin
 * scripts/testbed/compose.sh installs from Debian trixie's docker-compose 2.26), else a
 * `docker-compose` that is v2 (bookworm's 1.29 is the Python v1, which reads another schema).
 */
export function findCompose(): readonly string[] | undefined {
  const candidates: string[][] = [['docker', 'compose'], ['docker-compose']];
  return candidates.find((argv) => {
    const [command = '', ...args] = argv;
    const result = spawnSync(command, [...args, 'version', '--short'], { encoding: 'utf8' });
    return result.status === 0 && /^v?2\./.test(result.stdout.trim());
  });
}

export function requireCompose(): readonly string[] {
  const compose = findCompose();
  if (!compose) {
    throw new Error(
      'no Compose v2 (`docker compose` or a v2 `docker-compose`): install it with `bash scripts/testbed/compose.sh` (Debian trixie docker-compose)',
    );
  }
  return compose;
}

export interface ComposeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `compose -f compose.yaml config --quiet` in a new folder holding the file as init writes it
 * (marker line first) and the given .env; the shell's own variables are left out, so only the
 * folder decides.
 */
export function composeConfig(
  compose: readonly string[],
  text: string,
  dotenv: Readonly<Record<string, string>> | undefined,
  extra: readonly string[] = ['--quiet'],
): ComposeRun {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-compose-'));
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, withMarker(text));
  if (dotenv) {
    const lines = Object.entries(dotenv).map(([name, value]) => `${name}=${value}\n`);
    writeFileSync(join(dir, '.env'), lines.join(''));
  }
  const [command = '', ...args] = compose;
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  if (process.env.DOCKER_CONFIG) env.DOCKER_CONFIG = process.env.DOCKER_CONFIG;
  const result = spawnSync(command, [...args, '-f', file, 'config', ...extra], {
    cwd: dir,
    encoding: 'utf8',
    env,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

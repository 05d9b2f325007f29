import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Brings up the test bed (Docker engine with BuildKit, stand-in base images) before any e2e test.
 * The script is idempotent and takes seconds when everything is already there. A failure here
 * fails the run: with CI=true, a missing engine is never a skip.
 */
export default function setup(): void {
  if (process.env.SLIPWAY_SKIP_TESTBED === '1') return;
  const script = join(import.meta.dirname, '..', '..', 'scripts', 'testbed', 'up.sh');
  const result = spawnSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(`the test bed did not come up (bash ${script} exited ${result.status})`);
  }
}

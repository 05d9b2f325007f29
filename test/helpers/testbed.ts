import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The kubeconfig scripts/testbed/cluster/up.sh writes, chosen the way .ci/run chooses it
 * (`${SLIPWAY_KUBECONFIG:-$HOME/.kube/slipway-testbed.config}`: an empty value means unset).
 */
export function testbedKubeconfig(): string {
  return process.env.SLIPWAY_KUBECONFIG || join(homedir(), '.kube', 'slipway-testbed.config');
}

/**
 * Whether this is a CI run (CI=true, as .ci/run sets it): there a test whose tool or service is
 * missing must run and fail, never skip.
 */
export const inCI = process.env.CI === 'true';

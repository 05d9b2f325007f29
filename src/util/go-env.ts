/**
 * The environment for a short Go program (`kubectl kustomize`, `helm template`): Go's collector
 * off until the heap nears a limit. Such a run ends in a fraction of a second, and a collector
 * that starts every few MB spends half of its CPU (measured: `kubectl kustomize` of the reference
 * overlays, 0.17 s of CPU with the default, 0.09 s without) on the two cores `slipway check`
 * shares with its own analysis. A large render still collects, near the limit. The user's own
 * GOGC or GOMEMLIMIT wins.
 */
export function shortGoRunEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, GOGC: env.GOGC ?? 'off', GOMEMLIMIT: env.GOMEMLIMIT ?? '1GiB' };
}

import type { VerifyTarget } from './target.js';

/**
 * What "alive" means for an image. With a health route: that route answers 200. Without one (many
 * real apps have none): the port accepts and the app answers HTTP below 500, asked first for its
 * OpenAPI document and then for `/` — the same rule the generated probes use.
 */
export interface LivenessProbe {
  /** Asked in order on every attempt; the first accepted answer wins. */
  readonly paths: readonly string[];
  readonly accepts: (status: number) => boolean;
  /** e.g. `GET /healthz → 200`, for evidence. */
  readonly describe: string;
  /** The app has a health route (otherwise this is the fallback). */
  readonly route: boolean;
}

export function livenessProbe(target: Pick<VerifyTarget, 'health' | 'openapiPath'>): LivenessProbe {
  const path = target.health.liveness;
  if (path)
    return { paths: [path], accepts: (status) => status === 200, describe: `GET ${path} → 200`, route: true };
  const paths = [...new Set([target.openapiPath, '/'].filter((p): p is string => Boolean(p)))];
  return {
    paths,
    accepts: (status) => status < 500,
    describe: `no health route: GET ${paths.join(', then ')} → any answer below 500`,
    route: false,
  };
}

/** The readiness path to ask separately, when it is a route of its own. */
export function separateReadiness(target: Pick<VerifyTarget, 'health'>): string | undefined {
  const { liveness, readiness } = target.health;
  return readiness && readiness !== liveness ? readiness : undefined;
}

/**
 * `[tool.slipway]` in pyproject.toml, after validation and with every default filled in
 * (see schema.ts for the accepted keys and defaults.ts for the values).
 */
export interface SlipwayConfig {
  /** Overrides app detection: `module:attr`, or `module:factory()` for an app factory. */
  readonly app: string | undefined;
  /** Overrides the Python version from .python-version / requires-python (`X.Y`). */
  readonly pythonVersion: string | undefined;
  /** Port uvicorn listens on inside the container. @default 8000 */
  readonly port: number;
  /** Numeric runtime user and group. @default 10001:10001 */
  readonly uid: number;
  readonly gid: number;
  /** uvicorn worker processes. @default 1 (Kubernetes scales with replicas) */
  readonly workers: number;
  /** uvicorn --timeout-graceful-shutdown, seconds; the pod's grace period is longer. @default 20 */
  readonly gracefulTimeout: number;
  /** Size budget for the final image, MB. @default 300 */
  readonly sizeBudgetMb: number;
  /** Extra Debian packages: `build` for the builder stage, `runtime` for the final stage. */
  readonly apt: { readonly build: readonly string[]; readonly runtime: readonly string[] };
  /** Overrides the detected health routes. */
  readonly health: { readonly liveness: string | undefined; readonly readiness: string | undefined };
  /** Image name (default: the project name) and an optional registry prefix. */
  readonly image: { readonly name: string | undefined; readonly registry: string | undefined };
  /** OCI labels: maintainer and source repository. */
  readonly maintainer: string | undefined;
  readonly source: string | undefined;
  /** Kubernetes: namespace, replicas of the production overlay, container resources. */
  readonly kubernetes: {
    readonly namespace: string | undefined;
    readonly replicas: number;
    readonly resources: {
      readonly requests: { readonly cpu: string; readonly memory: string };
      readonly limits: { readonly memory: string; readonly cpu: string | undefined };
    };
  };
  /** Rule ids to suppress in `slipway check`, each with a reason. */
  readonly ignore: readonly { readonly id: string; readonly reason: string }[];
}

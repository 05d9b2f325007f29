import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  VersionApi,
} from '@kubernetes/client-node';
import { EnvironmentError } from '../errors.js';

/** The fix printed when no cluster answers; the test bed starts a real one on this machine. */
export const CLUSTER_FIX = 'bash scripts/testbed/cluster/up.sh   (starts the single-node test cluster)';

export interface ClusterOptions {
  /** A kubeconfig file. @default $KUBECONFIG, then ~/.kube/config (the client's own rules) */
  readonly kubeconfig?: string;
  /** A context of that kubeconfig. @default its current context */
  readonly context?: string;
}

/** One cluster, reached through the official client and one kubeconfig context. */
export interface Cluster {
  readonly kubeConfig: KubeConfig;
  readonly context: string;
  readonly server: string;
  /** The context's own namespace, when it names one. */
  readonly contextNamespace: string | undefined;
  readonly version: string;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly objects: KubernetesObjectApi;
}

/** Loads the kubeconfig, selects the context and proves that the API server answers. */
export async function connect(options: ClusterOptions = {}): Promise<Cluster> {
  const kubeConfig = new KubeConfig();
  try {
    if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
    else kubeConfig.loadFromDefault();
  } catch (error) {
    throw new EnvironmentError(
      `cannot read the kubeconfig ${options.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${message(error)}`,
      { fix: CLUSTER_FIX, cause: error },
    );
  }
  if (options.context) {
    if (!kubeConfig.getContextObject(options.context)) {
      const known = kubeConfig.getContexts().map((c) => c.name);
      throw new EnvironmentError(`the kubeconfig has no context "${options.context}"`, {
        fix: known.length > 0 ? `use one of: ${known.join(', ')}` : CLUSTER_FIX,
      });
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const context = kubeConfig.getCurrentContext();
  const cluster = kubeConfig.getCurrentCluster();
  // loadFromDefault falls back to an empty localhost:8080 cluster when nothing is configured.
  if (!context || !cluster || kubeConfig.getContexts().length === 0) {
    throw new EnvironmentError('no Kubernetes context is configured (no kubeconfig, or no current context)', {
      fix: CLUSTER_FIX,
    });
  }
  let version: string;
  try {
    const answer = await withTimeout(kubeConfig.makeApiClient(VersionApi).getCode(), 10_000);
    version = answer.gitVersion;
  } catch (error) {
    throw new EnvironmentError(
      `the Kubernetes API server of context "${context}" (${cluster.server}) does not answer: ${message(error)}`,
      { fix: CLUSTER_FIX, cause: error },
    );
  }
  return {
    kubeConfig,
    context,
    server: cluster.server,
    contextNamespace: kubeConfig.getContextObject(context)?.namespace,
    version,
    core: kubeConfig.makeApiClient(CoreV1Api),
    apps: kubeConfig.makeApiClient(AppsV1Api),
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The API server's own words (Status.message) when it sent any, else the error's message. */
export function message(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    try {
      const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string };
      if (status?.message) return status.message;
    } catch {
      // not a Status object
    }
    return `HTTP ${error.code}`;
  }
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

/** Whether an API call failed because the object does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

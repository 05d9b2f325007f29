import type { Cluster } from '../../src/deploy/cluster.js';
import { waitFor } from './cluster.js';

/**
 * A bounded HTTP load that runs INSIDE the cluster, in a pod of the app's own image (it has
 * Python), against the Service's ClusterIP: a port-forward would pin one pod, and the host sends
 * no traffic to cluster addresses. A new connection per request (urllib closes each one), so every
 * request goes through the Service's current endpoints; no retries, so every failure counts.
 */
const SCRIPT = `
import json, sys, threading, time, urllib.request
url, total, duration, workers = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
lock = threading.Lock()
ok, failed, errors, latencies = 0, 0, {}, []
def worker(n):
    global ok, failed
    gap = duration * workers / total
    start = time.monotonic()
    for i in range(n):
        wait = start + i * gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        t = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                good, why = r.status == 200, str(r.status)
        except Exception as e:
            good, why = False, type(e).__name__ + ": " + str(e)[:80]
        with lock:
            latencies.append(time.monotonic() - t)
            if good:
                ok += 1
            else:
                failed += 1
                errors[why] = errors.get(why, 0) + 1
print("load started", flush=True)
began = time.time()
threads = [threading.Thread(target=worker, args=(total // workers + (1 if k < total % workers else 0),)) for k in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
latencies.sort()
print(json.dumps({"requests": ok + failed, "ok": ok, "failed": failed, "errors": errors,
    "started": began, "seconds": round(time.time() - began, 2),
    "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1), "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1)}), flush=True)
`;

export interface LoadSummary {
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
  readonly errors: Record<string, number>;
  /** Unix time (s) when the load began. */
  readonly started: number;
  readonly seconds: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
}

export interface LoadRequest {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  /** The Service's ClusterIP and port: no DNS in the test cluster, and none needed. */
  readonly target: string;
  readonly path: string;
  readonly requests: number;
  readonly seconds: number;
  readonly concurrency: number;
}

/** Starts the load pod and resolves once it is sending; `result()` waits for its summary. */
export async function startLoad(cluster: Cluster, request: LoadRequest) {
  const { namespace, name } = request;
  await cluster.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name, labels: { 'app.kubernetes.io/name': 'load' } },
      spec: {
        restartPolicy: 'Never',
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 10001,
          runAsGroup: 10001,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [
          {
            name: 'load',
            image: request.image,
            imagePullPolicy: 'Never',
            command: [
              'python',
              '-c',
              SCRIPT,
              `http://${request.target}${request.path}`,
              String(request.requests),
              String(request.seconds),
              String(request.concurrency),
            ],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      },
    },
  });
  const log = () => cluster.core.readNamespacedPodLog({ name, namespace }).catch(() => '');
  await waitFor(
    `load pod ${name} sending`,
    async () => ((await log()).includes('load started') ? true : undefined),
    60_000,
  );
  return {
    async result(): Promise<LoadSummary> {
      await waitFor(
        `load pod ${name} finished`,
        async () => {
          const pod = await cluster.core.readNamespacedPod({ name, namespace });
          const phase = pod.status?.phase;
          if (phase === 'Failed') throw new Error(`load pod failed: ${await log()}`);
          return phase === 'Succeeded' ? true : undefined;
        },
        (request.seconds + 60) * 1000,
      );
      const line = (await log()).trim().split('\n').at(-1) ?? '';
      return JSON.parse(line) as LoadSummary;
    },
  };
}

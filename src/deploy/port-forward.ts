import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { PortForward, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { EnvironmentError } from '../errors.js';
import type { Cluster } from './cluster.js';

/** A loopback port that reaches one ready pod behind a Service, like `kubectl port-forward svc/x`. */
export interface PortForwardHandle {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** The pod the connections reach (a port-forward always pins one pod). */
  readonly pod: string;
  readonly targetPort: number;
  close(): Promise<void>;
}

/** Opens a port-forward on a free 127.0.0.1 port to a ready pod selected by the Service. */
export async function forwardToService(
  cluster: Cluster,
  namespace: string,
  serviceName: string,
): Promise<PortForwardHandle> {
  const service = await cluster.core.readNamespacedService({ name: serviceName, namespace });
  const selector = service.spec?.selector ?? {};
  const pods = await cluster.core.listNamespacedPod({
    namespace,
    labelSelector: Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  });
  const pod = pods.items.find(
    (p) =>
      !p.metadata?.deletionTimestamp &&
      p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  if (!pod?.metadata?.name) {
    throw new EnvironmentError(`no ready pod behind Service ${serviceName} in namespace ${namespace}`, {
      fix: `slipway deploy   (and read its diagnosis)`,
    });
  }
  return forwardToPod(cluster, namespace, pod.metadata.name, targetPortOf(service, pod));
}

/** The pod port the Service's first port sends to; a named targetPort is looked up in the pod. */
export function targetPortOf(service: V1Service, pod: V1Pod): number {
  const target = service.spec?.ports?.[0]?.targetPort ?? service.spec?.ports?.[0]?.port;
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (Number.isInteger(asNumber) && asNumber > 0) return asNumber;
  for (const container of pod.spec?.containers ?? []) {
    const port = container.ports?.find((p) => p.name === target);
    if (port) return port.containerPort;
  }
  throw new EnvironmentError(
    `the Service's targetPort "${String(target)}" names no port of pod ${pod.metadata?.name}`,
    {
      fix: 'name the container port like the Service targetPort (slipway check: service-target-port)',
    },
  );
}

export async function forwardToPod(
  cluster: Cluster,
  namespace: string,
  pod: string,
  targetPort: number,
): Promise<PortForwardHandle> {
  const forward = new PortForward(cluster.kubeConfig);
  const sockets = new Set<Socket>();
  const webSockets = new Set<{ close(): void }>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // The error channel carries the kubelet's message ("connection refused"); the client sees a reset.
    const errors = new Writable({
      write(chunk: Buffer, _encoding, done) {
        // The first frame of each channel is only its port number (stripped to nothing by the client).
        if (chunk.length > 0) socket.destroy();
        done();
      },
    });
    forward
      .portForward(namespace, pod, [targetPort], socket, errors, socket)
      .then((ws) => {
        if (typeof ws === 'function') return;
        webSockets.add(ws);
        // Without this the local socket stays open after the pod side closes, and clients hang.
        ws.on('close', () => {
          webSockets.delete(ws);
          socket.end();
        });
        socket.on('close', () => ws.close());
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pod,
    targetPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of webSockets) ws.close();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface SmokeResult {
  readonly url: string;
  readonly pod: string;
  readonly status: number;
  /** Opening the port-forward (the API server's tunnel to the kubelet). */
  readonly connectMs: number;
  /** The request itself, through the tunnel. */
  readonly requestMs: number;
  readonly ok: boolean;
}

/** GET the liveness route of a pod behind the Service through a port-forward; closes everything. */
export async function smokeTest(
  cluster: Cluster,
  namespace: string,
  service: string,
  path: string,
): Promise<SmokeResult> {
  const started = Date.now();
  const handle = await forwardToService(cluster, namespace, service);
  const connectMs = Date.now() - started;
  try {
    const requestStarted = Date.now();
    let status = 0;
    try {
      const response = await fetch(`${handle.url}${path}`, { signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0;
    }
    return {
      url: `${handle.url}${path}`,
      pod: handle.pod,
      status,
      connectMs,
      requestMs: Date.now() - requestStarted,
      ok: status === 200,
    };
  } finally {
    await handle.close();
  }
}

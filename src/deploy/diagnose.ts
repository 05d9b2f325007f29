import type { CoreV1Event, V1Container, V1ContainerStatus, V1Pod, V1Probe } from '@kubernetes/client-node';

/**
 * Why a rollout does not become available, read from pod status and events the way an engineer
 * reads `kubectl describe pod`. Pure: the watcher fetches pods, events and logs, this names the cause.
 */
export type DiagnosisKind =
  | 'image-missing'
  | 'secret-missing'
  | 'non-numeric-user'
  | 'config-error'
  | 'crash-loop'
  | 'probe-failing'
  | 'forbidden'
  | 'unschedulable'
  | 'migration-failed';

export interface Diagnosis {
  readonly kind: DiagnosisKind;
  /** The pod (or ReplicaSet, for pods that could not be created). */
  readonly object: string;
  readonly container: string | undefined;
  /** One line: the cause, in the cluster's words where they are clear. */
  readonly summary: string;
  /** Evidence: the last log lines, the probe's answer, the event message. */
  readonly details: readonly string[];
  readonly fix: string;
  /** Waiting longer cannot help (until someone changes something); the rollout fails at once. */
  readonly terminal: boolean;
}

export interface DiagnoseInput {
  readonly pods: readonly V1Pod[];
  readonly events: readonly CoreV1Event[];
  /** Last log lines by `pod/container` (the previous run's, for a restarting container). */
  readonly logs?: ReadonlyMap<string, string>;
}

const IMAGE_REASONS = new Set(['ErrImageNeverPull', 'ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);

export function diagnose(input: DiagnoseInput): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const event of input.events) {
    // Pods the ReplicaSet could not create (Pod Security admission, quota) exist only as events.
    if (event.reason === 'FailedCreate' && event.involvedObject.kind === 'ReplicaSet') {
      out.push({
        kind: 'forbidden',
        object: `replicaset/${event.involvedObject.name}`,
        container: undefined,
        summary: `pods cannot be created: ${firstLine(event.message)}`,
        details: [],
        fix: 'make the pod template meet the namespace policy (slipway check names the fields)',
        terminal: true,
      });
      break;
    }
  }
  for (const pod of input.pods) out.push(...diagnosePod(pod, input));
  return out;
}

function diagnosePod(pod: V1Pod, input: DiagnoseInput): Diagnosis[] {
  const name = pod.metadata?.name ?? '?';
  const events = input.events.filter(
    (e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name === name,
  );
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const found: Diagnosis[] = [];
  for (const status of statuses) {
    const spec = specs.find((c) => c.name === status.name);
    const d = diagnoseContainer(
      `pod/${name}`,
      status,
      spec,
      events,
      input.logs?.get(`${name}/${status.name}`),
    );
    if (d) found.push(d);
  }
  if (found.length > 0) return found;
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    return [
      {
        kind: 'unschedulable',
        object: `pod/${name}`,
        container: undefined,
        summary: `the pod cannot be scheduled: ${scheduled.message ?? scheduled.reason ?? 'no reason given'}`,
        details: [],
        fix: 'free capacity on the nodes, or lower the resource requests',
        terminal: false,
      },
    ];
  }
  const probe = probeFailure(`pod/${name}`, events, pod.spec?.containers ?? [], pod);
  return probe ? [probe] : [];
}

function diagnoseContainer(
  object: string,
  status: V1ContainerStatus,
  spec: V1Container | undefined,
  events: readonly CoreV1Event[],
  logs: string | undefined,
): Diagnosis | undefined {
  const waiting = status.state?.waiting;
  const reason = waiting?.reason ?? '';
  const text = waiting?.message ?? '';
  const base = { object, container: status.name };
  if (IMAGE_REASONS.has(reason)) {
    const never = reason === 'ErrImageNeverPull';
    return {
      ...base,
      kind: 'image-missing',
      summary: `image ${status.image || spec?.image} is not present on the node (${reason})`,
      details: text ? [firstLine(text)] : [],
      fix: never
        ? 'load the image into the cluster: slipway deploy loads it unless --no-load; or bash scripts/testbed/cluster/load-image.sh IMAGE'
        : 'push the image to a registry the nodes can pull from ([tool.slipway] image.registry), or load it into the nodes',
      // ErrImagePull alone may be a registry hiccup; the back-off after it means it keeps failing.
      terminal: reason !== 'ErrImagePull',
    };
  }
  if (reason === 'CreateContainerConfigError' || reason === 'CreateContainerError') {
    return configError(base, text);
  }
  // Between two restarts the container shows its fresh exit as the state, not as lastState.
  const last = status.state?.terminated ?? status.lastState?.terminated;
  if (reason === 'CrashLoopBackOff' || (last && last.exitCode !== 0 && status.restartCount > 0)) {
    const killedByProbe = events.find(
      (e) => e.reason === 'Unhealthy' && /^Liveness probe/.test(e.message ?? ''),
    );
    const how =
      last?.reason === 'OOMKilled'
        ? 'is killed for using too much memory (OOMKilled)'
        : `exits with code ${last?.exitCode ?? '?'}`;
    const lines = (logs ?? '').trimEnd().split('\n').filter(Boolean).slice(-15);
    return {
      ...base,
      kind: 'crash-loop',
      summary: `container ${status.name} ${how} and keeps restarting (CrashLoopBackOff, ${status.restartCount} restarts)`,
      details: [
        ...(killedByProbe ? [`killed by the liveness probe: ${firstLine(killedByProbe.message)}`] : []),
        ...(lines.length > 0
          ? ['last log lines:', ...lines.map((l) => `  ${l}`)]
          : ['(the container wrote no log)']),
      ],
      fix: 'run the image locally (slipway verify IMAGE) and fix the error the log shows',
      terminal: reason === 'CrashLoopBackOff' || status.restartCount >= 3,
    };
  }
  return undefined;
}

function configError(base: { object: string; container: string }, text: string): Diagnosis {
  const user = /runAsNonRoot and image has non-numeric user \(([^)]*)\)/.exec(text);
  if (user) {
    return {
      ...base,
      kind: 'non-numeric-user',
      summary: `the image runs as the named user "${user[1]}": with runAsNonRoot the kubelet cannot verify that a name is not root (container has runAsNonRoot and image has non-numeric user)`,
      details: [firstLine(text)],
      fix: 'use a numeric user in the Dockerfile (USER 10001:10001, as slipway init writes), or set runAsUser in the securityContext',
      terminal: true,
    };
  }
  const secret = /secret "([^"]+)" not found/i.exec(text);
  const key = /couldn't find key (\S+) in Secret ([^/\s]+)\/(\S+)/.exec(text);
  if (secret || key) {
    const name = secret?.[1] ?? key?.[3] ?? '?';
    return {
      ...base,
      kind: 'secret-missing',
      summary: key
        ? `the Secret ${name} has no key ${key[1]}, which the container reads (CreateContainerConfigError)`
        : `the Secret ${name} does not exist (CreateContainerConfigError)`,
      details: [firstLine(text)],
      fix: `kubectl create secret generic ${name} --from-env-file=<your filled-in copy of deploy/k8s/base/secret.example.env>`,
      terminal: true,
    };
  }
  return {
    ...base,
    kind: 'config-error',
    summary: `the container cannot be created: ${firstLine(text) || 'no message'}`,
    details: [],
    fix: 'correct the container spec (ConfigMap and Secret references, securityContext)',
    terminal: true,
  };
}

function probeFailure(
  object: string,
  events: readonly CoreV1Event[],
  containers: readonly V1Container[],
  pod: V1Pod,
): Diagnosis | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  const unhealthy = events.filter((e) => e.reason === 'Unhealthy').at(-1);
  if (!unhealthy) return undefined;
  const kind = /^(Readiness|Liveness|Startup) probe/.exec(unhealthy.message ?? '')?.[1] ?? 'Readiness';
  const field = `${kind.toLowerCase()}Probe` as 'readinessProbe' | 'livenessProbe' | 'startupProbe';
  const container = containers.find((c) => c[field]) ?? containers[0];
  const probe = container?.[field];
  return {
    kind: 'probe-failing',
    object,
    container: container?.name,
    summary: `the ${kind.toLowerCase()} probe ${describeProbe(probe)} fails: ${firstLine(unhealthy.message).replace(/^\w+ probe failed: /, '')}`,
    details: [`${unhealthy.count ?? 1}× ${firstLine(unhealthy.message)}`],
    fix: `make ${describeProbe(probe)} answer 2xx once the app is ready, or correct the probe's path and port`,
    terminal: false,
  };
}

export function describeProbe(probe: V1Probe | undefined): string {
  if (!probe) return '(not declared)';
  if (probe.httpGet) return `GET ${probe.httpGet.path ?? '/'} on port ${String(probe.httpGet.port)}`;
  if (probe.tcpSocket) return `TCP port ${String(probe.tcpSocket.port)}`;
  if (probe.exec) return `exec ${(probe.exec.command ?? []).join(' ')}`;
  if (probe.grpc) return `gRPC port ${probe.grpc.port}`;
  return '(unknown kind)';
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0] ?? '';
}

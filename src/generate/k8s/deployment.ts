import type { ProjectModel } from '../../analyze/model.js';
import {
  imageRef,
  livenessPath,
  PRE_STOP_SECONDS,
  readinessPath,
  resourceName,
  terminationGracePeriod,
} from '../common.js';
import { shellless } from '../dockerfile-bases.js';
import { plainSettings, secretSettings } from './configmap.js';
import {
  commonLabels,
  configMapName,
  type Json,
  metadata,
  secretName,
  selectorLabels,
  toYaml,
} from './objects.js';

/**
 * The Deployment. Its pods meet the Pod Security "restricted" profile, run as the image's numeric
 * user, and shut down in order: preStop sleep (endpoints drop the pod), SIGTERM, uvicorn's graceful
 * timeout, all inside terminationGracePeriodSeconds.
 */
export function deployment(model: ProjectModel): string {
  const { uid, gid, port } = model.config;
  const name = resourceName(model);
  const resources = model.config.kubernetes.resources;
  const limits: Record<string, string> = { memory: resources.limits.memory };
  if (resources.limits.cpu) limits.cpu = resources.limits.cpu;

  const container: Record<string, Json> = {
    name,
    image: imageRef(model),
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
  };
  const envFrom = plainSettings(model).length > 0 ? [{ configMapRef: { name: configMapName(model) } }] : [];
  if (envFrom.length > 0) container.envFrom = envFrom;
  // One entry per secret setting: the pod does not start while a required one is missing from
  // the Secret, which names the missing key, instead of the app failing later.
  const env = secretSettings(model).map((setting) => ({
    name: setting.name,
    valueFrom: {
      secretKeyRef: {
        name: secretName(model),
        key: setting.name,
        ...(setting.required ? {} : { optional: true }),
      },
    },
  }));
  if (env.length > 0) container.env = env;
  Object.assign(container, probes(model), {
    resources: { requests: { ...resources.requests }, limits },
    lifecycle: { preStop: preStop(model) },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  });

  const object: Json = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(model),
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(model) },
      // A new pod is ready before an old one goes: no capacity lost during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: commonLabels(model) },
        spec: {
          // The app does not call the Kubernetes API: no token mounted for an attacker to use.
          automountServiceAccountToken: false,
          // No <SERVICE>_PORT variables injected: they could collide with the app's settings.
          enableServiceLinks: false,
          terminationGracePeriodSeconds: terminationGracePeriod(model),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: uid,
            runAsGroup: gid,
            fsGroup: gid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [container],
          // The only writable place: the root filesystem is read-only.
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
        },
      },
    },
  };
  return toYaml(object);
}

/**
 * The pause before SIGTERM, so that endpoints drop the pod first; the kubelet waits for it. On a
 * base without a shell the kubelet sleeps itself (the `sleep` action, GA in Kubernetes 1.34): no
 * process starts in the container. On slim, python sleeps (exec; no shell needed either).
 */
function preStop(model: ProjectModel): Json {
  if (shellless(model.config.base)) return { sleep: { seconds: PRE_STOP_SECONDS } };
  return { exec: { command: ['python', '-c', `import time; time.sleep(${PRE_STOP_SECONDS})`] } };
}

/** HTTP probes on the detected routes; TCP on the port when the app has no health route. */
function probes(model: ProjectModel): Record<string, Json> {
  const live = livenessPath(model);
  const ready = readinessPath(model);
  const check = (path: string | undefined): Json =>
    path ? { httpGet: { path, port: 'http' } } : { tcpSocket: { port: 'http' } };
  return {
    // Up to 60 s to start; liveness only begins once this has passed, so a slow start is not a restart.
    startupProbe: { ...(check(live) as object), periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30 },
    readinessProbe: { ...(check(ready) as object), periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
    livenessProbe: { ...(check(live) as object), periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
  };
}

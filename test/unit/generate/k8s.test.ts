import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { generateFiles } from '../../../src/generate/index.js';
import { envValue } from '../../../src/generate/k8s/configmap.js';
import { cases, model } from './models.js';

// biome-ignore lint/suspicious/noExplicitAny: tests walk parsed YAML freely
type Any = any;

function manifest(m: ProjectModel, path: string): Any {
  const text = generateFiles(m)[`deploy/k8s/${path}`];
  if (text === undefined) throw new Error(`no ${path}`);
  return parse(text);
}

const shop = model();
const deployment = manifest(shop, 'base/deployment.yaml');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];

describe('Deployment', () => {
  it('meets the Pod Security restricted profile', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } });
  });

  it("runs as the image's numeric user and group", () => {
    const custom = manifest(cases['custom-port-user'] ?? shop, 'base/deployment.yaml').spec.template.spec;
    for (const [spec, uid, gid] of [
      [pod, 10001, 10001],
      [custom, 20000, 20001],
    ] as const) {
      expect(spec.securityContext).toMatchObject({ runAsUser: uid, runAsGroup: gid, fsGroup: gid });
      expect(spec.containers[0].securityContext).toMatchObject({ runAsUser: uid, runAsGroup: gid });
    }
  });

  it('probes the detected health routes on the named port', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
  });

  it('falls back to a TCP probe when the app has no health route', () => {
    const bare = model({ health: { liveness: undefined, readiness: undefined } });
    const probe = manifest(bare, 'base/deployment.yaml').spec.template.spec.containers[0].livenessProbe;
    expect(probe.tcpSocket).toEqual({ port: 'http' });
  });

  it('gives uvicorn its graceful timeout plus the preStop sleep before SIGKILL', () => {
    for (const m of [shop, cases['custom-port-user'] ?? shop]) {
      const spec = manifest(m, 'base/deployment.yaml').spec.template.spec;
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(m.config.gracefulTimeout + 5);
      expect(spec.containers[0].lifecycle.preStop.exec.command).toEqual([
        'python',
        '-c',
        'import time; time.sleep(5)',
      ]);
    }
  });

  it('rolls out without losing capacity, with a pinned image and the recommended labels', () => {
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(container.image).toBe('shop:1.4.0');
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi' },
    });
    expect(deployment.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'shop',
      'app.kubernetes.io/instance': 'shop',
    });
    expect(Object.keys(deployment.spec.template.metadata.labels)).toEqual([
      'app.kubernetes.io/name',
      'app.kubernetes.io/instance',
      'app.kubernetes.io/version',
      'app.kubernetes.io/component',
      'app.kubernetes.io/part-of',
      'app.kubernetes.io/managed-by',
    ]);
    const custom = manifest(cases['custom-port-user'] ?? shop, 'base/deployment.yaml');
    expect(custom.spec.template.spec.containers[0].image).toBe(
      'registry.example.com/team/edge-gateway:1.0.0-build.7',
    );
  });

  it('reads plain settings from the ConfigMap and each secret from the Secret, never a value', () => {
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'shop-config' } }]);
    expect(container.env).toEqual([
      {
        name: 'SHOP_API_TOKEN',
        valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'SHOP_API_TOKEN' } },
      },
      {
        name: 'SHOP_DATABASE_URL',
        valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'SHOP_DATABASE_URL' } },
      },
    ]);
    const optional = manifest(cases['flat-virtual'] ?? shop, 'base/deployment.yaml').spec.template.spec
      .containers[0];
    expect(optional.env[0].valueFrom.secretKeyRef).toEqual({
      name: 'billing-api-secrets',
      key: 'API_ADMIN_PASSWORD',
      optional: true,
    });
  });
});

describe('settings', () => {
  it('puts only plain settings with literal defaults in the ConfigMap', () => {
    expect(manifest(shop, 'base/configmap.yaml').data).toEqual({
      SHOP_DEBUG: 'false',
      SHOP_LOG_LEVEL: 'info',
    });
  });

  it('documents the Secret with names only, and never lists it as a resource', () => {
    const example = generateFiles(shop)['deploy/k8s/base/secret.example.env'] ?? '';
    const assignments = example.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(assignments).toEqual(['SHOP_API_TOKEN=', 'SHOP_DATABASE_URL=']);
    expect(example).toContain('kubectl create secret generic shop-secrets --from-env-file=');
    const kustomization = manifest(shop, 'base/kustomization.yaml');
    expect(kustomization.resources).not.toContain('secret.example.env');
    expect(JSON.stringify(kustomization)).not.toMatch(/secretGenerator/);
  });

  it('never writes a secret default anywhere, even if the model carried one', () => {
    const leaky = model({
      settings: {
        classes: [],
        env: [
          {
            name: 'APP_TOKEN',
            field: 'token',
            settingsClass: 'S',
            type: 'str',
            required: false,
            default: '"hunter2"',
            secret: true,
          },
        ],
      },
    });
    for (const content of Object.values(generateFiles(leaky))) expect(content).not.toContain('hunter2');
  });

  it('turns Python literals into environment values', () => {
    expect(envValue('"info"')).toBe('info');
    expect(envValue("'x'")).toBe('x');
    expect(envValue('True')).toBe('true');
    expect(envValue('8')).toBe('8');
    expect(envValue('None')).toBeUndefined();
  });
});

describe('other objects', () => {
  it('serves port 80 to the named container port and allows ingress only there', () => {
    expect(manifest(shop, 'base/service.yaml').spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    const policy = manifest(shop, 'base/networkpolicy.yaml').spec;
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
    expect(policy.egress[0].ports).toContainEqual({ port: 53, protocol: 'UDP' });
  });

  it('keeps a PDB that never blocks a drain of the single local replica', () => {
    expect(manifest(shop, 'base/pdb.yaml').spec.maxUnavailable).toBe(1);
  });

  it('runs one locally loaded replica in the local overlay', () => {
    const patch = manifest(shop, 'overlays/local/deployment-patch.yaml');
    expect(patch.spec.replicas).toBe(1);
    expect(patch.spec.template.spec.containers).toEqual([{ name: 'shop', imagePullPolicy: 'Never' }]);
  });

  it('autoscales production from at least two replicas on CPU', () => {
    const kustomization = manifest(shop, 'overlays/production/kustomization.yaml');
    expect(kustomization.resources).toEqual(['../../base', 'hpa.yaml']);
    const hpa = manifest(cases['custom-port-user'] ?? shop, 'overlays/production/hpa.yaml');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 9 });
    expect(
      manifest(
        model({ config: { kubernetes: { ...shop.config.kubernetes, replicas: 1 } } }),
        'overlays/production/hpa.yaml',
      ).spec.minReplicas,
    ).toBe(2);
  });

  it('sets the namespace from the config', () => {
    expect(manifest(cases['custom-port-user'] ?? shop, 'base/kustomization.yaml').namespace).toBe('edge');
    expect(manifest(shop, 'base/kustomization.yaml').namespace).toBeUndefined();
  });
});

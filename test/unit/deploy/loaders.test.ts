import { describe, expect, it } from 'vitest';
import { containerdName } from '../../../src/deploy/containerd.js';
import { detectLoader, type LoaderDetection } from '../../../src/deploy/loaders.js';
import { EnvironmentError } from '../../../src/errors.js';

const TESTBED_SOCKET = '/run/slipway-containerd/containerd.sock';

function detection(overrides: Partial<LoaderDetection>): LoaderDetection {
  return {
    context: 'slipway-testbed',
    server: 'https://127.0.0.1:6443',
    registry: undefined,
    which: async (command) =>
      ['kind', 'minikube', 'k3d'].includes(command) ? `/usr/bin/${command}` : undefined,
    exists: (path) => path === TESTBED_SOCKET,
    findCtr: async () => '/cache/ctr',
    ...overrides,
  };
}

describe('detectLoader', () => {
  it('pushes when a registry is named, whatever the cluster', async () => {
    const loader = await detectLoader(
      detection({ registry: 'registry.example.com/team', context: 'kind-dev' }),
    );
    expect(loader.kind).toBe('registry');
  });

  it('uses the tool that owns a kind, minikube or k3d context', async () => {
    expect((await detectLoader(detection({ context: 'kind-dev' }))).description).toBe('kind (dev)');
    expect((await detectLoader(detection({ context: 'minikube' }))).kind).toBe('minikube');
    expect((await detectLoader(detection({ context: 'k3d-demo' }))).description).toBe('k3d (demo)');
  });

  it('says which tool is missing for a kind context', async () => {
    await expect(
      detectLoader(detection({ context: 'kind-dev', which: async () => undefined })),
    ).rejects.toThrow(/kind cluster, but kind is not on PATH/);
  });

  it("imports into this machine's containerd for a cluster served on loopback", async () => {
    const loader = await detectLoader(detection({}));
    expect(loader.kind).toBe('containerd');
    expect(loader.description).toBe(`containerd at ${TESTBED_SOCKET} (namespace k8s.io)`);
  });

  it('takes --containerd-socket over detection, and refuses one that does not exist', async () => {
    const loader = await detectLoader(
      detection({ containerdSocket: TESTBED_SOCKET, server: 'https://10.0.0.5:6443' }),
    );
    expect(loader.kind).toBe('containerd');
    await expect(detectLoader(detection({ containerdSocket: '/nope.sock' }))).rejects.toThrow(
      /no containerd socket at \/nope\.sock/,
    );
  });

  it('refuses a remote cluster without a registry', async () => {
    const promise = detectLoader(detection({ server: 'https://k8s.example.com:6443' }));
    await expect(promise).rejects.toThrow(EnvironmentError);
    await expect(promise).rejects.toMatchObject({ fix: expect.stringMatching(/image\.registry/) });
  });
});

describe('containerdName', () => {
  it('normalizes references the way the kubelet does', () => {
    expect(containerdName('inventory-api:0.1.0')).toBe('docker.io/library/inventory-api:0.1.0');
    expect(containerdName('team/app:1')).toBe('docker.io/team/app:1');
    expect(containerdName('localhost/slipway/pause:catatonit-1')).toBe('localhost/slipway/pause:catatonit-1');
    expect(containerdName('registry.example.com:5000/app')).toBe('registry.example.com:5000/app:latest');
  });
});

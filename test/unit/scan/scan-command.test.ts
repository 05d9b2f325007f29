/**
 * `slipway scan IMAGE` starts the engine's save before detection has answered, on Docker (its
 * first choice): these tests pin what happens when detection agrees, chooses another engine, or
 * finds none. Engines and detection are stand-ins; the scan itself is the real one.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContainerEngine } from '../../../src/engines/engine.js';
import { tar } from './tar-writer.js';

const STATUS = 'Package: libfoo1\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n';
const archive = tar([
  {
    path: 'l0/layer.tar',
    // Bigger than every buffer on the way: a save nobody reads or drops would never end.
    content: tar([
      { path: 'var/lib/dpkg/status', content: STATUS },
      { path: 'srv/data.bin', content: Buffer.alloc(8 << 20) },
    ]),
  },
  {
    path: 'c.json',
    content: JSON.stringify({ config: { User: '10001' }, history: [{ created_by: 'COPY / /' }] }),
  },
  { path: 'manifest.json', content: JSON.stringify([{ Config: 'c.json', Layers: ['l0/layer.tar'] }]) },
]);

interface FakeEngine extends ContainerEngine {
  saves: number;
  /** Saves that ran to their end (the engine wrote the whole archive and the sink took it). */
  finished: number;
}

function fakeEngine(kind: 'docker' | 'podman', binary: string): FakeEngine {
  const engine = {
    kind,
    binary,
    saves: 0,
    finished: 0,
    inspectImage: async () => ({ id: `sha256:${kind}` }),
    saveImageTo: async (_ref: string, sink: NodeJS.WritableStream) => {
      engine.saves++;
      await new Promise<void>((resolve) => sink.end(archive, resolve));
      engine.finished++;
    },
  };
  return engine as unknown as FakeEngine;
}

const made: FakeEngine[] = [];
const detection = vi.fn();

vi.mock('../../../src/util/exec.js', async (original) => ({
  ...(await original<typeof import('../../../src/util/exec.js')>()),
  which: async (name: string) => (name === 'docker' ? '/usr/bin/docker' : undefined),
}));
vi.mock('../../../src/engines/docker.js', () => ({
  DockerEngine: function DockerEngine(binary: string) {
    const engine = fakeEngine('docker', binary);
    made.push(engine);
    return engine;
  },
}));
vi.mock('../../../src/engines/detect.js', () => ({
  detectEngine: (...args: unknown[]) => detection(...args),
}));

const { scan } = await import('../../../src/commands/scan.js');
const { forgetSavedImages } = await import('../../../src/scan/image.js');

beforeEach(() => {
  made.length = 0;
  detection.mockReset();
  vi.stubEnv('SLIPWAY_ENGINE', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  forgetSavedImages();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('slipway scan IMAGE', () => {
  it('saves once, on the Docker engine it started early, when detection chooses that Docker', async () => {
    const detected = fakeEngine('docker', '/usr/bin/docker');
    detection.mockImplementation(async () => {
      // The save is on its way before detection answers.
      expect(made[0]?.saves).toBe(1);
      return { engine: detected, info: { kind: 'docker', binary: '/usr/bin/docker' } };
    });
    const { report } = await scan({ subject: 'app:1' });
    expect(report.packages.map((p) => p.name)).toEqual(['libfoo1']);
    expect(report.image.id).toBe('sha256:docker');
    expect(made.map((e) => e.saves)).toEqual([1]);
    expect(detected.saves).toBe(0);
    // Detection is asked once; it stops at the first usable engine itself (engines/detect.test.ts).
    expect(detection.mock.calls).toEqual([[undefined]]);
  });

  it('drops the early save (run to its end) and scans with the engine detection chooses', async () => {
    const podman = fakeEngine('podman', '/usr/bin/podman');
    // Docker answers but cannot build: detection goes on to Podman.
    detection.mockImplementation(async () => ({
      engine: podman,
      info: { kind: 'podman', binary: '/usr/bin/podman' },
    }));
    const { report } = await scan({ subject: 'app:1' });
    expect(report.image.id).toBe('sha256:podman');
    expect(podman.saves).toBe(1);
    await settle();
    expect(made.map((e) => [e.saves, e.finished])).toEqual([[1, 1]]);
  });

  it('starts nothing early for another preferred engine', async () => {
    const podman = fakeEngine('podman', '/usr/bin/podman');
    detection.mockResolvedValue({ engine: podman, info: { kind: 'podman', binary: '/usr/bin/podman' } });
    await scan({ subject: 'app:1', engine: 'podman' });
    expect(made).toEqual([]);
    expect(detection.mock.calls).toEqual([['podman']]);
    expect(podman.saves).toBe(1);
  });

  it("fails with detection's error when no engine is usable, the early save run to its end", async () => {
    detection.mockRejectedValue(new Error('no container engine is reachable'));
    await expect(scan({ subject: 'app:1' })).rejects.toThrow('no container engine is reachable');
    await settle();
    expect(made.map((e) => [e.saves, e.finished])).toEqual([[1, 1]]);
  });

  it('fails on a bad --osv path after the early save started, and lets that save finish', async () => {
    detection.mockResolvedValue({
      engine: fakeEngine('docker', '/usr/bin/docker'),
      info: { kind: 'docker', binary: '/usr/bin/docker' },
    });
    await expect(scan({ subject: 'app:1', osv: '/nonexistent/osv' })).rejects.toThrow('/nonexistent/osv');
    await settle();
    expect(made.map((e) => [e.saves, e.finished])).toEqual([[1, 1]]);
  });
});

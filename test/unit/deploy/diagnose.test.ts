import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type Diagnosis, diagnose } from '../../../src/deploy/diagnose.js';
import { renderDiagnoses } from '../../../src/report/deploy.js';

// Pod and event JSON recorded from the test cluster (kubectl get -o json), one failure per file.
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'deploy', 'diagnose');

function recorded(name: string): Diagnosis[] {
  const raw = JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')) as {
    pods: V1Pod[];
    events: CoreV1Event[];
    logs: Record<string, string>;
  };
  return diagnose({ pods: raw.pods, events: raw.events, logs: new Map(Object.entries(raw.logs)) });
}

describe('diagnose (recorded pod status and events)', () => {
  it('names an image the node does not have', () => {
    const [d] = recorded('image-never-pull');
    expect(d).toMatchObject({ kind: 'image-missing', terminal: true, container: 'app' });
    expect(d?.summary).toBe('image slipway-try/not-there:1 is not present on the node (ErrImageNeverPull)');
    expect(d?.fix).toMatch(/load-image\.sh/);
  });

  it('names the image user that runAsNonRoot cannot verify', () => {
    const [d] = recorded('named-user');
    expect(d).toMatchObject({ kind: 'non-numeric-user', terminal: true });
    expect(d?.summary).toMatch(/named user "app"/);
    expect(d?.summary).toMatch(/container has runAsNonRoot and image has non-numeric user/);
    expect(d?.fix).toMatch(/USER 10001:10001/);
  });

  it('names the missing Secret', () => {
    const [d] = recorded('secret-missing');
    expect(d).toMatchObject({ kind: 'secret-missing', terminal: true });
    expect(d?.summary).toBe('the Secret inventory-api-secrets does not exist (CreateContainerConfigError)');
    expect(d?.fix).toMatch(/^kubectl create secret generic inventory-api-secrets --from-env-file=/);
  });

  it('names the missing key of an existing Secret', () => {
    const [d] = recorded('secret-key-missing');
    expect(d).toMatchObject({ kind: 'secret-missing' });
    expect(d?.summary).toMatch(/the Secret other-secrets has no key INVENTORY_API_KEY/);
  });

  it('shows the exit code and the last log lines of a crashing container', () => {
    const [d] = recorded('crash-loop');
    expect(d).toMatchObject({ kind: 'crash-loop', container: 'app', terminal: true });
    expect(d?.summary).toMatch(/exits with code 1 and keeps restarting \(CrashLoopBackOff, 3 restarts\)/);
    expect(d?.details).toContain('  fatal: INVENTORY_DATABASE_PATH is not writable');
  });

  it('names the failing probe and its answer', () => {
    const [d] = recorded('probe-failing');
    expect(d).toMatchObject({ kind: 'probe-failing', terminal: false });
    expect(d?.summary).toBe(
      'the readiness probe GET /readyz on port http fails: HTTP probe failed with statuscode: 404',
    );
  });

  it('names the policy that refused the pods (events of the ReplicaSet)', () => {
    const [d] = recorded('forbidden');
    expect(d).toMatchObject({ kind: 'forbidden', terminal: true });
    expect(d?.summary).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  it('finds nothing wrong with a pod that is only starting', () => {
    const pod: V1Pod = {
      metadata: { name: 'p' },
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            image: 'x:1',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
    };
    expect(diagnose({ pods: [pod], events: [] })).toEqual([]);
  });

  it('shows one cause once, however many pods share it', () => {
    const [d] = recorded('named-user');
    const text = renderDiagnoses([d as Diagnosis, { ...(d as Diagnosis), object: 'pod/other' }]);
    expect(text.match(/✗ non-numeric-user/g)).toHaveLength(1);
    expect(text).toMatch(/and 1 more/);
  });
});

import { describe, expect, it } from 'vitest';
import { failedStageResult } from '../../src/commands/ship.js';
import { SlipwayError } from '../../src/errors.js';
import { renderShipSummary, type ShipSummary } from '../../src/report/ship.js';

const check = { findings: [], rules: ['SLW-D001'], files: ['Dockerfile'], durationMs: 3 };

function summary(stages: ShipSummary['stages']): string {
  return renderShipSummary(
    { stages, check, build: undefined, verify: undefined, ok: false },
    { color: false },
  );
}

describe('the ship summary of a stage that could not finish', () => {
  it("shows the engine's own lines and the fix under the failed build", () => {
    const error = new SlipwayError(
      'step [build 4/4] RUN make failed (Dockerfile):\n------\n > [build 4/4] RUN make:\n0.21 error: libfrobnicate.so.3 not found\n------\nERROR: failed to solve: exit code: 7',
      { exitCode: 1, fix: 'read the engine error above' },
    );
    const stage = failedStageResult('build', 1200, error);
    expect(stage.summary).toBe('step [build 4/4] RUN make failed (Dockerfile)');
    expect(stage.error?.detail).toContain('0.21 error: libfrobnicate.so.3 not found');
    expect(stage.error?.fix).toBe('read the engine error above');
    const text = summary([{ stage: 'analyze', status: 'ok', summary: 'demo 0.1.0', durationMs: 10 }, stage]);
    expect(text).toMatch(/^✗ build +1\.2s {2}step \[build 4\/4\] RUN make failed \(Dockerfile\)$/m);
    expect(text).toMatch(/^ {4}│ 0\.21 error: libfrobnicate\.so\.3 not found$/m);
    expect(text).toMatch(/^ {4}│ ERROR: failed to solve: exit code: 7$/m);
    expect(text).toMatch(/^ {4}fix: read the engine error above$/m);
    expect(text).toMatch(/^not shipped: build failed$/m);
  });

  it('keeps the last 20 lines of a long error, without blank ones, and no fix when none was given', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const stage = failedStageResult('verify', 5, new Error(['engine went away', '', ...lines].join('\n')));
    expect(stage.error?.detail).toEqual(lines.slice(-20));
    expect(stage.error?.fix).toBeUndefined();
    const text = summary([stage]);
    expect(text).not.toMatch(/line 19$/m);
    expect(text).toMatch(/│ line 39$/m);
    expect(text).not.toMatch(/fix:/);
  });

  it('adds nothing under stages that finished', () => {
    const text = summary([
      { stage: 'analyze', status: 'ok', summary: 'demo 0.1.0', durationMs: 10 },
      {
        stage: 'verify',
        status: 'failed',
        summary: '3/4 checks passed; failed: verify.size',
        durationMs: 10,
      },
    ]);
    expect(text).not.toMatch(/│|fix:/);
  });
});

import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../../src/check/runner.js';
import { manifestSet } from '../../../src/kube/objects.js';
import { formatFindingsText } from '../../../src/report/findings-text.js';
import { failsAt } from '../../../src/result.js';

const DOCKERFILE = `FROM python:3.13-slim AS build
FROM python:3.13-slim
COPY --from=build /app /app
# The wrapper script execs uvicorn, so it is PID 1 after all.
# slipway-ignore SLW-D003: entrypoint.sh execs uvicorn
CMD ./entrypoint.sh
# slipway-ignore SLW-D012
WORKDIR app
USER 10001:10001
`;

const POD = `# A debugging pod, never deployed to production.
# slipway-ignore SLW-K014: a one-off debugging pod serves no traffic
apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: debug
      image: busybox:1.37
      securityContext:
        privileged: true # slipway-ignore SLW-K007: needs the node's devices for the investigation
`;

function run(ignore: { id: string; reason: string }[] = []) {
  return checkFiles({
    dockerfiles: [{ path: 'Dockerfile', text: DOCKERFILE }],
    manifests: [manifestSet('.', [{ path: 'debug.yaml', text: POD }])],
    ignore,
  });
}

describe('suppressions', () => {
  it('honour a comment with the id and a reason on the line above, and keep the finding, marked', () => {
    const d003 = run().findings.find((f) => f.id === 'SLW-D003');
    expect(d003?.location?.line).toBe(6);
    expect(d003?.suppressed).toEqual({ by: 'inline', reason: 'entrypoint.sh execs uvicorn' });
  });

  it('ignore a comment that gives no reason', () => {
    const d012 = run().findings.find((f) => f.id === 'SLW-D012');
    expect(d012?.suppressed).toBeUndefined();
  });

  it('apply to a whole YAML object from its leading comments, and to a line from a trailing comment', () => {
    const findings = run().findings;
    expect(findings.find((f) => f.id === 'SLW-K014')?.suppressed?.reason).toBe(
      'a one-off debugging pod serves no traffic',
    );
    expect(findings.find((f) => f.id === 'SLW-K007')?.suppressed?.by).toBe('inline');
    // Other rules on the same object still fire.
    expect(findings.find((f) => f.id === 'SLW-K003')?.suppressed).toBeUndefined();
  });

  it('come from [tool.slipway] ignore for a whole rule, and never fail the run', () => {
    const ignore = [
      { id: 'SLW-D012', reason: 'the base image sets an absolute WORKDIR' },
      ...[
        'SLW-P005',
        'SLW-K002',
        'SLW-K003',
        'SLW-K004',
        'SLW-K005',
        'SLW-K016',
        'SLW-D009',
        'SLW-D010',
        'SLW-D013',
      ].map((id) => ({ id, reason: 'debug pod' })),
    ];
    const report = run(ignore);
    expect(report.findings.find((f) => f.id === 'SLW-D012')?.suppressed).toEqual({
      by: 'config',
      reason: 'the base image sets an absolute WORKDIR',
    });
    expect(report.findings.every((f) => f.suppressed)).toBe(true);
    expect(failsAt(report.findings, 'info')).toBe(false);
    expect(failsAt(run().findings, 'error')).toBe(true);
  });

  it('are shown in the text report with their reason', () => {
    const text = formatFindingsText(run());
    expect(text).toMatch(/^ {5}6 {2}ignored {2}SLW-D003 {2}CMD \.\/entrypoint\.sh is in shell form/m);
    expect(text).toMatch(/suppressed \(inline\): entrypoint\.sh execs uvicorn/);
    expect(text).toMatch(/, \d+ suppressed: \d+ rules over 2 files\.$/m);
  });

  it("share one comment line with hadolint's ignore pragma, so both tools accept the same line", () => {
    const text = [
      'FROM python:3.13-slim',
      "# hadolint ignore=DL3008 # slipway-ignore SLW-D015: apt versions follow the base image's Debian release",
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*',
      'RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*',
      '',
    ].join('\n');
    const report = checkFiles({ dockerfiles: [{ path: 'Dockerfile', text }], manifests: [] });
    const d015 = report.findings.filter((f) => f.id === 'SLW-D015');
    expect(d015.map((f) => [f.location?.line, f.suppressed?.reason])).toEqual([
      [3, "apt versions follow the base image's Debian release"],
      [4, undefined],
    ]);
  });
});

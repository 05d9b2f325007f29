import { describe, expect, it } from 'vitest';
import type { TestModule, TestSpecification } from 'vitest/node';
import {
  formatSummary,
  type ReportedFile,
  reportedFiles,
  selectedFiles,
  summarize,
} from '../helpers/summary-reporter.js';

// The closing line of `npm test` (test/helpers/summary-reporter.ts) once said "487 passed,
// 0 failed" while 11 of 58 files never ran. These feed it what vitest hands a reporter.
const root = '/repo';
const unit = (name: string) => ({ project: 'unit', file: `${root}/test/unit/${name}` });
const e2e = (name: string) => ({ project: 'e2e', file: `${root}/test/e2e/${name}` });
const ran = (file: { project: string; file: string }, ...tests: ReportedFile['tests']): ReportedFile => ({
  ...file,
  state: tests.includes('failed') ? 'failed' : 'passed',
  tests,
});

describe('summary reporter', () => {
  it('counts every test of a clean run and nothing else', () => {
    const [a, b] = [unit('a.test.ts'), e2e('b.test.ts')];
    const summary = summarize([a, b], [ran(a, 'passed', 'skipped'), ran(b, 'passed', 'failed')], 0, 'failed');
    expect(summary).toMatchObject({ passed: 2, failed: 1, skipped: 1, notRun: [], failedOutsideTests: [] });
    expect(formatSummary(summary, root)).toEqual(['2 passed, 1 failed, 1 skipped']);
  });

  it('counts a selected file that was never reported as failed, and names it', () => {
    const a = unit('a.test.ts');
    const summary = summarize(
      [a, e2e('deploy.test.ts'), e2e('doctor.test.ts')],
      [ran(a, 'passed')],
      0,
      'passed',
    );
    expect(summary).toMatchObject({ passed: 1, failed: 2, skipped: 0, failing: true });
    expect(formatSummary(summary, root)).toEqual([
      '2 test file(s) selected but did not run to the end:',
      '  [e2e] test/e2e/deploy.test.ts',
      '  [e2e] test/e2e/doctor.test.ts',
      '1 passed, 2 failed, 0 skipped',
    ]);
  });

  it('counts a file whose worker died mid-run (left pending or queued), its pending tests never as skipped', () => {
    const [crashed, queued] = [e2e('crash.test.ts'), e2e('queued.test.ts')];
    const summary = summarize(
      [crashed, queued],
      [
        { ...crashed, state: 'pending', tests: ['passed', 'pending', 'pending'] },
        { ...queued, state: 'queued', tests: [] },
      ],
      0,
      'failed',
    );
    // The crashed file's two unfinished tests, and the queued file once.
    expect(summary).toMatchObject({ passed: 1, failed: 3, skipped: 0 });
    expect(summary.notRun).toEqual([crashed, queued]);
  });

  it('counts a file that failed to load, or failed in a hook with every test passed, once', () => {
    const [throws, afterAll] = [unit('throws-at-import.test.ts'), unit('after-all-fails.test.ts')];
    const summary = summarize(
      [throws, afterAll],
      [
        { ...throws, state: 'failed', tests: [] },
        { ...afterAll, state: 'failed', tests: ['passed', 'passed'] },
      ],
      0,
      'failed',
    );
    expect(summary).toMatchObject({ passed: 2, failed: 2, skipped: 0, notRun: [] });
    expect(summary.failedOutsideTests).toEqual([throws, afterAll]);
  });

  it('counts each unhandled error as a failure', () => {
    const a = unit('a.test.ts');
    const summary = summarize([a], [ran(a, 'passed')], 2, 'failed');
    expect(summary).toMatchObject({ passed: 1, failed: 2, failing: true });
    expect(formatSummary(summary, root)).toEqual([
      '2 unhandled error(s) (see above)',
      '1 passed, 2 failed, 0 skipped',
    ]);
  });

  it('expects only what the run selected: a subset run is not short of the files it left out', () => {
    // `vitest run --project unit`: the e2e files are not among the specifications at all.
    const a = unit('a.test.ts');
    const summary = summarize([a], [ran(a, 'passed')], 0, 'passed');
    expect(summary).toMatchObject({ passed: 1, failed: 0, skipped: 0, failing: false });
  });

  it('keeps the same file in two projects apart', () => {
    const file = `${root}/test/shared.test.ts`;
    const summary = summarize(
      [
        { project: 'unit', file },
        { project: 'e2e', file },
      ],
      [ran({ project: 'unit', file }, 'passed')],
      0,
      'passed',
    );
    expect(summary.notRun).toEqual([{ project: 'e2e', file }]);
  });

  it('never reports a run vitest ends as failed with 0 failed', () => {
    // e.g. no test file found: nothing selected, nothing reported, vitest fails the run.
    expect(summarize([], [], 0, 'failed')).toMatchObject({ failed: 1, failing: true });
    expect(summarize([], [], 0, 'passed')).toMatchObject({ failed: 0, failing: false });
  });

  it("reads vitest's specifications and modules into files and test states", () => {
    const project = { name: 'e2e' };
    const specs = [{ project, moduleId: `${root}/test/e2e/a.test.ts` }] as unknown as TestSpecification[];
    const modules = [
      {
        project,
        moduleId: `${root}/test/e2e/a.test.ts`,
        state: () => 'failed',
        children: {
          *allTests() {
            yield { result: () => ({ state: 'passed' }) };
            yield { result: () => ({ state: 'failed' }) };
          },
        },
      },
    ] as unknown as TestModule[];
    expect(selectedFiles(specs)).toEqual([e2e('a.test.ts')]);
    expect(reportedFiles(modules)).toEqual([
      { ...e2e('a.test.ts'), state: 'failed', tests: ['passed', 'failed'] },
    ]);
  });
});

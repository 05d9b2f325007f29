import { relative } from 'node:path';
import type { SerializedError } from 'vitest';
import type {
  Reporter,
  TestModule,
  TestModuleState,
  TestRunEndReason,
  TestSpecification,
  TestState,
  Vitest,
} from 'vitest/node';

/** A test file this run selected (after the include globs, CLI filters and --project). */
export interface SelectedFile {
  readonly project: string;
  readonly file: string;
}

/** A test file vitest reported at the end of the run, with the state of each of its tests. */
export interface ReportedFile extends SelectedFile {
  readonly state: TestModuleState;
  readonly tests: readonly TestState[];
}

export interface Summary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Selected files that vitest never reported, or that never ran to their end (worker gone). */
  readonly notRun: readonly SelectedFile[];
  /** Files that failed with no failing test: failed to load, or failed in a hook or suite. */
  readonly failedOutsideTests: readonly SelectedFile[];
  readonly unhandledErrors: number;
  /** Whether anything failed: the closing line's failed count is above zero. */
  readonly failing: boolean;
}

const key = (file: SelectedFile) => `${file.project}\0${file.file}`;

/**
 * Counts a run the way its closing line reports it. Failures are failed tests plus, once each:
 *   - every selected file that was never reported, or was left queued or pending (its worker
 *     crashed or timed out, or the run stopped before it: a global setup that threw);
 *   - every file that failed without a failing test (an import that threw, a failing hook);
 *   - every unhandled error (they may belong to no file: a worker's RPC timeout);
 *   - a run vitest itself ends as "failed" that none of the above explains.
 * A test left pending at the end never finished: it counts as failed, never as skipped.
 */
export function summarize(
  selected: readonly SelectedFile[],
  reported: readonly ReportedFile[],
  unhandledErrors: number,
  reason: TestRunEndReason,
): Summary {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const notRun: SelectedFile[] = [];
  const failedOutsideTests: SelectedFile[] = [];
  const byKey = new Map(reported.map((file) => [key(file), file]));
  // Files reported but not selected (vitest adds none today) are counted too, never dropped.
  const files = new Map<string, SelectedFile>();
  for (const { project, file } of [...selected, ...reported]) {
    if (!files.has(key({ project, file }))) files.set(key({ project, file }), { project, file });
  }

  for (const [id, file] of files) {
    const report = byKey.get(id);
    if (!report) {
      notRun.push(file);
      failed++;
      continue;
    }
    let failedTests = 0;
    for (const state of report.tests) {
      if (state === 'passed') passed++;
      else if (state === 'skipped') skipped++;
      else failedTests++;
    }
    failed += failedTests;
    if (report.state === 'queued' || report.state === 'pending') {
      notRun.push(file);
      if (failedTests === 0) failed++;
    } else if (report.state === 'failed' && failedTests === 0) {
      failedOutsideTests.push(file);
      failed++;
    }
  }
  failed += unhandledErrors;
  if (reason === 'failed' && failed === 0) failed++;
  return { passed, failed, skipped, notRun, failedOutsideTests, unhandledErrors, failing: failed > 0 };
}

/** The closing lines: what did not run or failed outside a test, then `N passed, N failed, N skipped`. */
export function formatSummary(summary: Summary, root: string): string[] {
  const name = (file: SelectedFile) => `  [${file.project}] ${relative(root, file.file) || file.file}`;
  const lines: string[] = [];
  if (summary.notRun.length > 0) {
    lines.push(`${summary.notRun.length} test file(s) selected but did not run to the end:`);
    lines.push(...summary.notRun.map(name));
  }
  if (summary.failedOutsideTests.length > 0) {
    lines.push(
      `${summary.failedOutsideTests.length} test file(s) failed outside their tests (failed to load, or in a hook):`,
    );
    lines.push(...summary.failedOutsideTests.map(name));
  }
  if (summary.unhandledErrors > 0) lines.push(`${summary.unhandledErrors} unhandled error(s) (see above)`);
  lines.push(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return lines;
}

export function selectedFiles(specifications: ReadonlyArray<TestSpecification>): SelectedFile[] {
  return specifications.map((spec) => ({ project: spec.project.name, file: spec.moduleId }));
}

export function reportedFiles(testModules: ReadonlyArray<TestModule>): ReportedFile[] {
  return testModules.map((module) => ({
    project: module.project.name,
    file: module.moduleId,
    state: module.state(),
    tests: [...module.children.allTests()].map((test) => test.result().state),
  }));
}

/**
 * Prints the plain closing line `N passed, N failed, N skipped` after vitest's own summary, and
 * sets a failing exit code when anything counted as failed. The expected files are the ones this
 * run selected (onTestRunStart's specifications: the projects' include globs narrowed by the
 * command line's filters and --project), so a subset run expects only its subset; a selected file
 * that never reached onTestRunEnd is the failure vitest's own counts leave out.
 */
export default class SummaryReporter implements Reporter {
  private root = process.cwd();
  private selected: SelectedFile[] = [];
  private seen = new Map<string, TestModule>();
  private ended = true;
  private lines: string[] = [];
  private exitHooked = false;

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.selected = selectedFiles(specifications);
    this.seen.clear();
    this.ended = false;
    this.lines = [];
    // A worker that dies abruptly (SIGKILL, out of memory) can make vitest 3.2's main process
    // exit on an unhandled "Channel closed" rejection, before onTestRunEnd: the closing line is
    // then printed on the way out, from the modules seen so far.
    if (!this.exitHooked) {
      this.exitHooked = true;
      // Prepended: vitest's own 'exit' listener calls process.exit(), which ends the listeners.
      process.prependOnceListener('exit', () => this.onExitBeforeEnd());
    }
  }

  // Collecting a file replaces its queued module with a new one: the latest one is kept.
  onTestModuleQueued(testModule: TestModule): void {
    this.see(testModule);
  }

  onTestModuleCollected(testModule: TestModule): void {
    this.see(testModule);
  }

  onTestModuleEnd(testModule: TestModule): void {
    this.see(testModule);
  }

  private see(testModule: TestModule): void {
    this.seen.set(key({ project: testModule.project.name, file: testModule.moduleId }), testModule);
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    this.ended = true;
    const summary = summarize(this.selected, reportedFiles(testModules), unhandledErrors.length, reason);
    if (summary.failing) process.exitCode = 1;
    this.lines = formatSummary(summary, this.root);
  }

  // The default reporter prints its summary in onFinished, which runs after every onTestRunEnd;
  // printing here keeps this line last.
  onFinished(): void {
    if (this.lines.length > 0) process.stdout.write(`\n${this.lines.join('\n')}\n`);
  }

  private onExitBeforeEnd(): void {
    if (this.ended) return;
    // The error that stopped vitest counts as one unhandled error.
    const summary = summarize(this.selected, reportedFiles([...this.seen.values()]), 1, 'failed');
    process.exitCode = 1;
    const lines = [
      'vitest stopped before the end of the run (the error above):',
      ...formatSummary(summary, this.root),
    ];
    // Synchronous on Linux for files, pipes and terminals, so it is written before the exit.
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}

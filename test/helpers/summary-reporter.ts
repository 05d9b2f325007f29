import type { Reporter, TestModule } from 'vitest/node';

/** Prints the plain closing line `N passed, N failed, N skipped` after vitest's own summary. */
export default class SummaryReporter implements Reporter {
  private line = '';

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed to load has no tests but must still count as a failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    this.line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  }

  // The default reporter prints its summary in onFinished, which runs after every onTestRunEnd;
  // printing here keeps this line last.
  onFinished(): void {
    if (this.line) process.stdout.write(`\n${this.line}\n`);
  }
}

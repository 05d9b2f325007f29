import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `e2e` drives the real engines and the real cluster.
// The e2e global setup (test/helpers/testbed-setup.ts) brings the whole test bed up, so `npm test`
// works on a bare machine. Vitest 3.2 runs global setups in the main process, awaited without a
// timeout, after the files are selected and before any worker of either project starts; only the
// projects that have selected files run theirs, so `--project unit` (test:fast) brings nothing up.
// The summary reporter counts every selected file that did not run as a failure.
export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['./test/helpers/testbed-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          // One engine, two cores: e2e files run one at a time.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `e2e` drives the real engine (and later the real
// cluster). The e2e global setup brings up the test bed first, so `npm test` works on a bare machine.
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
          hookTimeout: 900_000,
          // One engine, two cores: e2e files run one at a time.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});

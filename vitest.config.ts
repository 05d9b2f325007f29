import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// GitHub's workflow parser imports its schema JSON without an import attribute, which Node
// refuses; the unit project has vite load it instead (inline). Its published source maps name
// sources it does not ship, so they are dropped on load rather than warned about once per file.
const workflowParser = '@actions/workflow-parser';
const dropForeignSourceMaps = {
  name: 'drop-foreign-source-maps',
  enforce: 'pre' as const,
  load(id: string) {
    const file = id.split('?')[0] ?? id;
    if (!file.includes(`/node_modules/${workflowParser}/`) || !file.endsWith('.js')) return null;
    return { code: readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''), map: null };
  },
};

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
        plugins: [dropForeignSourceMaps],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
          server: { deps: { inline: [workflowParser] } },
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

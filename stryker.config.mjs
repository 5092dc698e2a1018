// Mutation testing of the security-critical modules (`pnpm test:mutation`): each mutant of a
// guard should be killed by a test. Not part of `pnpm test` (it takes long); the score is in the
// README. Stryker runs the platform's and widget's vitest projects with per-test coverage, so a
// mutant runs only the tests that reach it.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps packages apart, so Stryker's own plugin search does not see the runner.
  plugins: [import.meta.resolve('@stryker-mutator/vitest-runner')],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/platform/src/services/link-tokens.ts',
    'packages/platform/src/store/link-tokens.ts',
    'packages/platform/src/store/webhook-events.ts',
    'packages/widget/src/connect-protocol.ts:90-105',
  ],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'test-results/mutation.json' },
  tempDirName: '.stryker-tmp',
  concurrency: 2,
  timeoutMS: 60000,
  dryRunTimeoutMinutes: 30,
  cleanTempDir: 'always',
};

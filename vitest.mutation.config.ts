import { defineConfig } from 'vitest/config';

// The tests `pnpm test:mutation` runs against each mutant: those that reach the security-critical
// modules named in stryker.config.mjs (the whole suite would take hours under mutation).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'widget',
          root: 'packages/widget',
          environment: 'node',
          include: ['src/connect-protocol.node.test.ts'],
        },
      },
      {
        test: {
          name: 'platform',
          root: 'packages/platform',
          include: ['test/admin-api.test.ts', 'test/stores.test.ts', 'test/webhook-claim.test.ts'],
          globalSetup: ['./test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

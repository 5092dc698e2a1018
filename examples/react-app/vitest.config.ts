import { defineProject } from 'vitest/config';

// A Chromium smoke test of the built React page, served by the example app on the demo stack.
export default defineProject({
  test: {
    name: 'example-react-app',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

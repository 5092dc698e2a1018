import { defineProject } from 'vitest/config';

// End-to-end tests of the example app: the whole demo (sandbox, platform, app) in-process, driven
// by Chromium.
export default defineProject({
  test: {
    name: 'example-express-app',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});

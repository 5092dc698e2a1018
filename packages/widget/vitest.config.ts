import { defineProject } from 'vitest/config';

// Node-side tests of the widget (SSR safety, manifest, package shape); the element's own tests
// run in Chromium with web-test-runner (`pnpm test:browser`).
export default defineProject({
  test: {
    name: 'widget',
    environment: 'node',
    include: ['src/**/*.node.test.ts', 'test/**/*.node.test.ts'],
  },
});

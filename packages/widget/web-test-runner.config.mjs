// Browser tests of <truto-connect> in Debian's Chromium (by path; no browser is downloaded).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import rollupReplace from '@rollup/plugin-replace';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { startFakePlatform } from './test/fake-platform.mjs';
import { reactVendorPlugin } from './test/react-vendor-plugin.mjs';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(
    `Chromium not found at ${executablePath}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`,
  );
}

const platform = await startFakePlatform();
const replace = fromRollup(rollupReplace);

/** Writes the totals for .ci/run and prints the plain summary line. */
function totalsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      const walk = (suite) => {
        for (const t of suite?.tests ?? []) {
          if (t.skipped) skipped++;
          else if (t.passed) passed++;
          else failed++;
        }
        for (const s of suite?.suites ?? []) walk(s);
      };
      for (const session of sessions) {
        walk(session.testResults);
        if (!session.passed && !session.testResults?.tests?.length && !session.testResults?.suites?.length)
          failed++;
      }
      mkdirSync('../../test-results', { recursive: true });
      writeFileSync('../../test-results/wtr.json', JSON.stringify({ passed, failed, skipped }));
      platform.close();
      console.log(`web-test-runner: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    },
  };
}

export default {
  files: ['src/**/*.test.ts', 'test/**/*.test.tsx', 'test/**/*.test.ts', '!**/*.node.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 1,
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 180_000,
  plugins: [
    replace({
      preventAssignment: true,
      'process.env.NODE_ENV': JSON.stringify('development'),
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    }),
    reactVendorPlugin(),
    esbuildPlugin({ ts: true, tsx: true, jsx: 'automatic', target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath,
        headless: true,
        // Playwright turns Chromium's popup blocker off by default; the tests need it on.
        ignoreDefaultArgs: ['--disable-popup-blocking'],
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      },
    }),
  ],
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html lang="en"><head><title>truto-connect tests</title></head><body><script>window.__PLATFORM_URL__ = ${JSON.stringify(platform.url)};</script><script type="module" src="${testFramework}"></script></body></html>`,
  reporters: [defaultReporter(), totalsReporter()],
};

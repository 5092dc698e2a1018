/**
 * `pnpm screenshots`: starts the demo on free ports with fresh data, drives Chromium through a
 * connect, and saves the pictures the root README shows (docs/example-app.png,
 * docs/connect-page.png), so they always show the app as it is.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDemoStack } from './stack.js';

const docs = fileURLToPath(new URL('../../../docs/', import.meta.url));
mkdirSync(docs, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'truto-screenshots-'));
const demo = await startDemoStack({
  port: 0,
  platformPort: 0,
  sandboxPort: 0,
  host: '127.0.0.1',
  dataDir,
  logLevel: 'silent',
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  const context = await browser.newContext({
    viewport: { width: 1100, height: 860 },
    colorScheme: 'light',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  await page.goto(demo.appUrl);
  await page.getByLabel('Your name').fill('Ada');
  await page.getByRole('button', { name: 'Sign in' }).click();

  // The connect page, as the popup shows it.
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.locator('truto-connect[data-mode="popup"]').getByRole('button').click(),
  ]);
  await popup.getByLabel('API key').waitFor();
  await popup.screenshot({ path: join(docs, 'connect-page.png') });
  await popup.getByLabel('API key').fill(demo.sandboxApiKey);
  await popup.getByRole('button', { name: 'Connect' }).click();

  // The Integrations page once the account is listed, with the page's notice and the webhooks
  // (the page refreshes its lists 2 seconds after a connect; reload if they came later).
  await page.locator('#notice .success').waitFor({ timeout: 20_000 });
  const events = page.locator('#events li');
  await events
    .nth(1)
    .waitFor({ timeout: 6000 })
    .catch(() => page.reload());
  await page.screenshot({ path: join(docs, 'example-app.png'), fullPage: true });
  console.log(`saved ${join(docs, 'example-app.png')} and ${join(docs, 'connect-page.png')}`);
} finally {
  await browser.close();
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
}

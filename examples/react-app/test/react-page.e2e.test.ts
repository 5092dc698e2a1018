/**
 * The React page as built by `pnpm build`, served by the example app at /react/ on the demo
 * stack: Chromium signs in, connects Acme HR through the element, and the page lists the account.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../../../packages/platform/test/support/chromium.js';
import { type DemoStack, startDemoStack } from '../../express-app/demo/stack.js';

let demo: DemoStack;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  // The same build as `pnpm build`, so the test sees the page users get.
  await build({ root: fileURLToPath(new URL('..', import.meta.url)), logLevel: 'warn' });
  dataDir = mkdtempSync(join(tmpdir(), 'truto-react-'));
  demo = await startDemoStack({
    port: 0,
    platformPort: 0,
    sandboxPort: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'silent',
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('connects Acme HR from the React page and lists the account', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.appUrl}/react/`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Your name').fill('react-user');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto(`${demo.appUrl}/react/`);
  await page.getByText('Signed in as').waitFor();
  expect(await page.locator('#connections li').count()).toBe(0);

  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.locator('truto-connect').getByRole('button', { name: 'Connect Acme HR' }).click(),
  ]);
  await popup.getByLabel('API key').fill(demo.sandboxApiKey);
  await popup.getByRole('button', { name: 'Connect' }).click();

  await expect
    .poll(() => page.getByRole('status').textContent(), { timeout: 20_000 })
    .toBe('Acme HR connected: Acme Corporation.');
  await expect.poll(() => page.locator('#connections li').count()).toBe(1);
  const id = await page.locator('#connections li').getAttribute('data-account-id');
  expect(demo.example.store.get(id ?? '')?.externalId).toBe('react-user');
  await context.close();
});

/**
 * Chromium as every end-to-end test drives it (Debian's, by path, through playwright-core), and
 * the steps of the Acme HR sandbox's sign-in. No platform imports: the example apps' tests use
 * these too.
 */
import { createServer } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A free loopback port, for servers that must know each other's URL before they listen. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Debian's Chromium as the tests run it: headless, as root, no background networking. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright turns Chromium's popup blocker off by default; users have it on.
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
  });
}

/** Acme HR's sign-in (demo/demo) and consent (Allow), on whatever page shows them. */
export async function signInAndAllow(page: Page): Promise<void> {
  await page.getByLabel('Username').fill('demo');
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
}

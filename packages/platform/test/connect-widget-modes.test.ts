import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectWorld,
  firstWidgetEvent,
  signInAndAllow,
  startConnectWorld,
  type WidgetEvent,
} from './support/connect-world.js';
import { DATABASE_KINDS } from './support/databases.js';
import { brokenSetupIntegrations } from './support/test-integrations.js';

describe.each(DATABASE_KINDS)('<truto-connect> with the platform in Chromium on %s', (kind) => {
  let w: ConnectWorld;
  let coop: ConnectWorld;
  beforeAll(async () => {
    w = await startConnectWorld(kind, { integrations: brokenSetupIntegrations });
    coop = await startConnectWorld(kind, { coop: true });
  }, 90_000);
  afterAll(async () => {
    await w?.close();
    await coop?.close();
  });

  async function saas(world: ConnectWorld, query: string) {
    const context = await world.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${world.saasUrl}/?${query}`);
    await page.locator('truto-connect').waitFor();
    return { context, page };
  }

  async function connectWithKey(world: ConnectWorld, query = 'mode=popup'): Promise<WidgetEvent> {
    const { context, page } = await saas(world, query);
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.locator('truto-connect').getByRole('button').click(),
    ]);
    await popup.getByLabel('API key').fill('sandbox-demo-key');
    await popup.getByRole('button', { name: 'Connect' }).click();
    const event = await firstWidgetEvent(page);
    await context.close();
    return event;
  }

  it('reconnects an existing account through the widget, keeping its id', async () => {
    const first = await connectWithKey(w);
    expect(first.type).toBe('truto-connect-success');
    const again = await connectWithKey(w, `mode=popup&account=${first.detail.integratedAccountId}`);
    expect(again).toMatchObject({
      type: 'truto-connect-success',
      detail: { integratedAccountId: first.detail.integratedAccountId },
    });
  });

  it('reports a post-install failure as post_install_error, for an account kept in error', async () => {
    const event = await connectWithKey(w, 'mode=popup&integration=acmehr-broken');
    expect(event).toMatchObject({ type: 'truto-connect-error', detail: { code: 'post_install_error' } });
    const list = (await (
      await fetch(`${w.platformUrl}/integrated-accounts?integration=acmehr-broken`, {
        headers: { authorization: `Bearer ${w.apiToken}` },
      })
    ).json()) as { data: Array<{ status: string }> };
    expect(list.data.map((a) => a.status)).toEqual(['error']);
  });

  it('runs OAuth from the modal: the frame opens a popup and relays its result', async () => {
    const { context, page } = await saas(w, 'mode=modal');
    await page.locator('truto-connect').getByRole('button').click();
    const frame = page.frameLocator('truto-connect iframe');
    await frame.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      frame.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click(),
    ]);
    await signInAndAllow(popup);
    const event = await firstWidgetEvent(page);
    expect(event.type).toBe('truto-connect-success');
    expect(await page.locator('truto-connect dialog').count()).toBe(0);
    await context.close();
  });

  it('says so in the modal when the browser blocks its OAuth window', async () => {
    const { context, page } = await saas(w, 'mode=modal');
    // As a strict popup blocker would: window.open fails inside the platform's frame.
    await context.addInitScript((platform) => {
      if (location.origin === platform) window.open = () => null;
    }, new URL(w.platformUrl).origin);
    await page.reload();
    await page.locator('truto-connect').getByRole('button').click();
    const frame = page.frameLocator('truto-connect iframe');
    await frame.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    await frame.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
    await expect
      .poll(() => frame.locator('#blocked').textContent())
      .toBe('Your browser blocked the sign-in window. Allow pop-ups for this page and try again.');
    // The frame stays on the connect page: nothing navigated it to the provider.
    expect(await frame.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).count()).toBe(1);
    await context.close();
  });

  /** Every URL the context requests, and the status secrets the widget sends. */
  function watchRequests(context: BrowserContext) {
    const urls: string[] = [];
    const secrets = new Set<string>();
    context.on('request', (request) => {
      urls.push(request.url());
      const secret = request.headers()['truto-status-secret'];
      if (secret) secrets.add(secret);
    });
    return { urls, secrets };
  }

  it('finishes through the status channel when the provider sends COOP same-origin', async () => {
    const { context, page } = await saas(coop, 'mode=popup');
    const seen = watchRequests(context);
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.locator('truto-connect').getByRole('button').click(),
    ]);
    await popup.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    await popup.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
    // COOP cut the opener: the widget says it waits, rather than calling the window closed.
    await page.locator('truto-connect [part="status"]').waitFor({ timeout: 10_000 });
    // The popup's page object may be replaced by the browsing-context switch; find the live one.
    const live = context.pages().find((p) => p.url().includes('/interaction/')) ?? popup;
    const windowName = await live.evaluate(() => window.name);
    await signInAndAllow(live);
    const event = await firstWidgetEvent(page);
    expect(event.type).toBe('truto-connect-success');
    // The status secret went in a header only: in no URL, not in the popup's window name.
    expect(seen.secrets.size).toBe(1);
    const [secret] = [...seen.secrets] as [string];
    expect(seen.urls.filter((url) => url.includes(secret))).toEqual([]);
    expect(windowName).not.toContain(secret);
    await context.close();
  });

  it("finishes a modal flow through the status channel when COOP cuts the frame's sign-in window", async () => {
    const { context, page } = await saas(coop, 'mode=modal');
    await page.locator('truto-connect').getByRole('button').click();
    const frame = page.frameLocator('truto-connect iframe');
    await frame.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    await Promise.all([
      page.waitForEvent('popup'),
      frame.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click(),
    ]);
    await expect.poll(() => context.pages().some((p) => p.url().includes('/interaction/'))).toBe(true);
    const live = context.pages().find((p) => p.url().includes('/interaction/')) as Page;
    await signInAndAllow(live);
    const event = await firstWidgetEvent(page);
    expect(event.type).toBe('truto-connect-success');
    expect(await page.locator('truto-connect dialog').count()).toBe(0);
    await context.close();
  });
});

/**
 * The demo end to end, as a newcomer runs it: the Acme HR sandbox, the platform on a fresh SQLite
 * file and the example app, in this process on free ports; Debian's Chromium signs in to the app,
 * connects Acme HR through each of the element's modes, and disconnects.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signInAndAllow } from '../../../packages/platform/test/support/chromium.js';
import { type DemoStack, startDemoStack } from '../demo/stack.js';

interface PageEvent {
  type: string;
  detail: {
    integratedAccountId: string;
    code?: string;
    message?: string;
    connection?: { integratedAccountId: string; externalId: string; status: string; context: any };
  };
}

let demo: DemoStack;
let browser: Browser;
let dataDir: string;
let users = 0;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page (WCAG 2.1 A and AA), as `rule: target` strings. */
async function axeViolations(page: Page): Promise<string[]> {
  // evaluate() runs outside the page's CSP, which would refuse an injected script tag.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: any }).axe;
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.flatMap((v: any) => v.nodes.map((n: any) => `${v.id}: ${n.target.join(' ')}`));
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'truto-example-'));
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

/** A new browser profile, signed in to the app as a user of its own; the page records the element's events. */
async function signedIn(): Promise<{ context: BrowserContext; page: Page; user: string }> {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const w = window as unknown as { __events: unknown[] };
    w.__events = [];
    for (const type of ['truto-connect-success', 'truto-connect-error', 'truto-connect-close']) {
      document.addEventListener(type, (e) => w.__events.push({ type, detail: (e as CustomEvent).detail }));
    }
  });
  const page = await context.newPage();
  const user = `user-${process.pid}-${users++}`;
  await page.goto(demo.appUrl);
  await page.getByLabel('Your name').fill(user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Integrations' }).waitFor();
  return { context, page, user };
}

async function firstEvent(page: Page): Promise<PageEvent> {
  await page.waitForFunction(
    () => (window as unknown as { __events: unknown[] }).__events.length > 0,
    undefined,
    { timeout: 30_000 },
  );
  const events = await page.evaluate(() => (window as unknown as { __events: PageEvent[] }).__events);
  return events[0] as PageEvent;
}

const widget = (page: Page, mode: string) =>
  page.locator(`truto-connect[data-mode="${mode}"]`).getByRole('button');

/** The account ids the Integrations page lists, read from a fresh load. */
async function listedAfterReload(page: Page): Promise<string[]> {
  await page.reload();
  return page
    .locator('#connections [data-account-id]')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-account-id') ?? ''));
}

/** Through the popup with Acme HR's API key: the quickest way to an account. */
async function connectWithApiKey(page: Page): Promise<PageEvent> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), widget(page, 'popup').click()]);
  await popup.getByLabel('API key').fill(demo.sandboxApiKey);
  await popup.getByRole('button', { name: 'Connect' }).click();
  return firstEvent(page);
}

describe('the example app on the demo stack, in Chromium', () => {
  it('connects Acme HR in a popup with OAuth: success after the helper verified it, listed after a reload', async () => {
    const { context, page, user } = await signedIn();
    const [popup] = await Promise.all([page.waitForEvent('popup'), widget(page, 'popup').click()]);
    await popup.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    await popup.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
    await signInAndAllow(popup);
    const event = await firstEvent(page);
    expect(event.type).toBe('truto-connect-success');
    // complete-url: the event carries what the app's /truto/complete answered.
    expect(event.detail.connection).toMatchObject({
      integratedAccountId: event.detail.integratedAccountId,
      externalId: user,
      status: 'active',
    });
    expect(event.detail.connection?.context).toMatchObject({ companyName: 'Acme Corporation' });
    await expect
      .poll(() => page.locator('#notice').textContent())
      .toBe('Acme HR connected: Acme Corporation.');
    expect(await listedAfterReload(page)).toEqual([event.detail.integratedAccountId]);
    await expect(page.locator('#connections').textContent()).resolves.toContain('Acme Corporation (eu-west)');
    expect(demo.example.store.get(event.detail.integratedAccountId)?.externalId).toBe(user);
    await context.close();
  });

  it('connects through the modal (OAuth in a window the frame opens)', async () => {
    const { context, page, user } = await signedIn();
    await widget(page, 'modal').click();
    const frame = page.frameLocator('truto-connect[data-mode="modal"] iframe');
    await frame.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      frame.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click(),
    ]);
    await signInAndAllow(popup);
    const event = await firstEvent(page);
    expect(event.type).toBe('truto-connect-success');
    expect(event.detail.connection?.externalId).toBe(user);
    expect(await page.locator('truto-connect dialog').count()).toBe(0);
    expect(await listedAfterReload(page)).toEqual([event.detail.integratedAccountId]);
    await context.close();
  });

  it('connects in redirect mode: the tab leaves for the platform and comes back through /truto/callback', async () => {
    const { context, page, user } = await signedIn();
    const visited: string[] = [];
    page.on('request', (request) => {
      // Every hop of the top-level window, redirects included.
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) visited.push(request.url());
    });
    await widget(page, 'redirect').click();
    await page.waitForURL((url) => url.origin === new URL(demo.platformUrl).origin);
    await page.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    await page.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
    await signInAndAllow(page);
    await page.waitForURL(
      (url) => url.origin === new URL(demo.appUrl).origin && url.pathname === '/integrations',
    );
    await expect.poll(() => page.locator('#notice').textContent()).toContain('Acme HR connected');
    // Out to the platform and Acme HR, back through the helper's /callback with the signed result.
    const origins = visited.map((url) => new URL(url).origin);
    expect(origins).toContain(new URL(demo.platformUrl).origin);
    expect(origins).toContain(new URL(demo.sandboxUrl).origin);
    const callback = visited.find((url) => url.startsWith(`${demo.appUrl}/truto/callback?`));
    expect(new URL(callback ?? demo.appUrl).searchParams.get('result')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(visited.at(-1)).toMatch(new RegExp(`^${demo.appUrl}/integrations\\?truto=connected`));
    const listed = await listedAfterReload(page);
    expect(listed).toHaveLength(1);
    expect(demo.example.store.get(listed[0] as string)?.externalId).toBe(user);
    await context.close();
  });

  it('receives the platform webhooks, shown on the page', async () => {
    const { context, page, user } = await signedIn();
    const { detail } = await connectWithApiKey(page);
    await expect
      .poll(() => demo.example.store.recentEvents(user).map((e) => e.type), { timeout: 20_000 })
      .toEqual(expect.arrayContaining(['integrated_account:created']));
    await page.reload();
    await expect(page.locator('#events').textContent()).resolves.toContain(detail.integratedAccountId);
    await context.close();
  });

  it('disconnects: the account is deleted on the platform and leaves the list', async () => {
    const { context, page, user } = await signedIn();
    const { detail } = await connectWithApiKey(page);
    const id = detail.integratedAccountId;
    expect(await listedAfterReload(page)).toEqual([id]);
    await page.getByRole('button', { name: `Disconnect ${id}` }).click();
    await page.waitForURL(`${demo.appUrl}/integrations`);
    await expect(page.locator('#notice').textContent()).resolves.toContain('Disconnected');
    expect(await listedAfterReload(page)).toEqual([]);
    const onPlatform = await fetch(`${demo.platformUrl}/integrated-accounts/${id}`, {
      headers: { authorization: `Bearer ${demo.apiToken}` },
    });
    expect(onPlatform.status).toBe(404);
    // The deletion's webhook arrives as well, and does not bring the account back.
    await expect
      .poll(() => demo.example.store.recentEvents(user).map((e) => e.type), { timeout: 20_000 })
      .toContain('integrated_account:deleted');
    expect(demo.example.store.listFor(user)).toEqual([]);
    await context.close();
  });

  it('has accessible pages (axe), signed out and with an account listed', async () => {
    const context = await browser.newContext();
    const signedOut = await context.newPage();
    await signedOut.goto(`${demo.appUrl}/sign-in`);
    expect(await axeViolations(signedOut)).toEqual([]);
    await context.close();

    const { context: signedInContext, page } = await signedIn();
    await connectWithApiKey(page);
    await page.reload();
    await page.locator('#connections [data-account-id]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await signedInContext.close();
  });

  it('reconnects an account in error, keeping its id', async () => {
    const { context, page, user } = await signedIn();
    const { detail } = await connectWithApiKey(page);
    const id = detail.integratedAccountId;
    // As the platform's webhook says when Acme HR refuses a refresh.
    demo.example.store.applyEvent({
      id: `evt_test_${id}`,
      type: 'integrated_account:reauth_required',
      data: { integratedAccountId: id, integration: 'acmehr', status: 'error', externalId: user },
    });
    await page.reload();
    const row = page.locator(`[data-account-id="${id}"]`);
    await expect(row.locator('.badge').textContent()).resolves.toBe('Needs attention');
    await page.evaluate(() => {
      (window as unknown as { __events: unknown[] }).__events = [];
    });
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      row.locator('truto-connect').getByRole('button', { name: 'Reconnect' }).click(),
    ]);
    await popup.getByLabel('API key').fill(demo.sandboxApiKey);
    await popup.getByRole('button', { name: 'Connect' }).click();
    const event = await firstEvent(page);
    expect(event).toMatchObject({ type: 'truto-connect-success', detail: { integratedAccountId: id } });
    expect(demo.example.store.get(id)?.status).toBe('active');
    expect(await listedAfterReload(page)).toEqual([id]);
    await context.close();
  });
});

import { createRequire } from 'node:module';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_TYPE } from '../src/signing/connect-result.js';
import {
  type ConnectWorld,
  firstWidgetEvent,
  signInAndAllow,
  startConnectWorld,
  type WidgetEvent,
} from './support/connect-world.js';
import { DATABASE_KINDS } from './support/databases.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

describe.each(DATABASE_KINDS)('the connect flow in Chromium on %s', (kind) => {
  let w: ConnectWorld;
  beforeAll(async () => {
    w = await startConnectWorld(kind);
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  async function openSaas(mode = 'popup') {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${w.saasUrl}/?mode=${mode}`);
    await page.locator('truto-connect').waitFor();
    return { context, page };
  }

  async function clickConnect(page: Page): Promise<Page> {
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.locator('truto-connect').getByRole('button').click(),
    ]);
    await popup.waitForURL(/\/link\/connect/);
    return popup;
  }

  const events = (page: Page) =>
    page.evaluate(() => (window as unknown as { __events: WidgetEvent[] }).__events);
  const waitForEvent = firstWidgetEvent;

  async function verifyResult(jwt: string) {
    const jwks = createLocalJWKSet(
      (await (await fetch(`${w.platformUrl}/.well-known/jwks.json`)).json()) as never,
    );
    return (await jwtVerify(jwt, jwks, { issuer: w.platformUrl, audience: w.tenantId, typ: RESULT_TYPE }))
      .payload;
  }

  async function account(id: string) {
    const res = await fetch(`${w.platformUrl}/integrated-accounts/${id}`, {
      headers: { authorization: `Bearer ${w.apiToken}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('connects with an API key in a popup: the widget gets a result that verifies against the JWKS', async () => {
    const { context, page } = await openSaas();
    const popup = await clickConnect(page);
    await popup.getByLabel('API key').fill('sandbox-demo-key');
    await popup.getByRole('button', { name: 'Connect' }).click();
    const event = await waitForEvent(page);
    expect(event.type).toBe('truto-connect-success');
    const claims = await verifyResult(event.detail.result as string);
    expect(claims).toMatchObject({
      sub: event.detail.integratedAccountId,
      integration: 'acmehr',
      status: 'active',
      external_id: 'user-42',
    });
    const created = await account(event.detail.integratedAccountId as string);
    expect(created.body).toMatchObject({
      status: 'active',
      externalId: 'user-42',
      context: { companyId: 'co_acme', region: 'eu-west' },
    });
    await expect.poll(() => popup.isClosed()).toBe(true);
    await context.close();
  });

  it('answers a wrong key inline and creates nothing; then the right key works', async () => {
    const before = (await (
      await fetch(`${w.platformUrl}/integrated-accounts`, {
        headers: { authorization: `Bearer ${w.apiToken}` },
      })
    ).json()) as { total: number };
    const { context, page } = await openSaas();
    const popup = await clickConnect(page);
    await popup.getByLabel('API key').fill('not-the-key');
    await popup.getByRole('button', { name: 'Connect' }).click();
    await expect
      .poll(() => popup.getByRole('alert').textContent())
      .toContain('did not accept these credentials');
    const after = (await (
      await fetch(`${w.platformUrl}/integrated-accounts`, {
        headers: { authorization: `Bearer ${w.apiToken}` },
      })
    ).json()) as { total: number };
    expect(after.total).toBe(before.total);
    expect(await events(page)).toEqual([]);
    await popup.getByLabel('API key').fill('sandbox-demo-key');
    await popup.getByRole('button', { name: 'Connect' }).click();
    expect((await waitForEvent(page)).type).toBe('truto-connect-success');
    await context.close();
  });

  it('connects with OAuth 2.0 (PKCE) through the sandbox sign-in and consent', async () => {
    const { context, page } = await openSaas();
    const popup = await clickConnect(page);
    await popup.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    await popup.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
    await signInAndAllow(popup);
    const event = await waitForEvent(page);
    expect(event.type).toBe('truto-connect-success');
    const created = await account(event.detail.integratedAccountId as string);
    expect(created.body).toMatchObject({ status: 'active', context: { companyName: 'Acme Corporation' } });
    await context.close();
  });

  it('reports Deny at the provider as connection_error', async () => {
    const { context, page } = await openSaas();
    const popup = await clickConnect(page);
    await popup.getByRole('link', { name: 'Sign in with Acme HR' }).click();
    await popup.getByRole('link', { name: 'Continue to Acme HR (sandbox)' }).click();
    await popup.getByLabel('Username').fill('demo');
    await popup.getByLabel('Password').fill('demo');
    await popup.getByRole('button', { name: 'Sign in' }).click();
    await popup.getByRole('button', { name: 'Deny' }).click();
    const event = await waitForEvent(page);
    expect(event).toMatchObject({ type: 'truto-connect-error', detail: { code: 'connection_error' } });
    await context.close();
  });

  it('shows a clear page for a used or expired link token, and connects nothing', async () => {
    const { token, linkUrl } = await w.linkToken();
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const accountsNow = async () =>
      (
        (await (
          await fetch(`${w.platformUrl}/integrated-accounts?limit=100`, {
            headers: { authorization: `Bearer ${w.apiToken}` },
          })
        ).json()) as { data: unknown[] }
      ).data.length;
    const before = await accountsNow();
    await page.goto(linkUrl);
    await page.getByLabel('API key').fill('sandbox-demo-key');
    await page.getByRole('button', { name: 'Connect' }).click();
    // The first use connected: a replay is refused because the token was used, not for another reason.
    await expect.poll(() => page.getByRole('heading').textContent()).toBe('Connected');
    expect(await accountsNow()).toBe(before + 1);
    const replay = await page.goto(linkUrl);
    expect(replay?.status()).toBe(410);
    expect(await page.getByRole('heading').textContent()).toBe('This link has expired');
    const expired = await w.platform.stores.linkTokens.create({
      tenantId: w.tenantId,
      integration: 'acmehr',
      externalId: null,
      redirectUri: null,
      scopes: null,
      metadata: {},
      integratedAccountId: null,
      expiresAt: new Date(Date.now() - 1000),
    });
    const late = await page.goto(`${w.platformUrl}/link/connect?link_token=${expired.token}`);
    expect(late?.status()).toBe(410);
    expect(token).not.toBe(expired.token);
    await context.close();
  });

  it('is accessible (axe, WCAG 2.2 AA), works by keyboard alone, and speaks German', async () => {
    const { linkUrl } = await w.linkToken();
    // bypassCSP only lets axe's own script in; the CSP header itself is checked below.
    const context = await w.browser.newContext({ locale: 'de-DE', bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(linkUrl);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'nonce-");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`frame-ancestors ${w.saasUrl}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.getByRole('heading').textContent()).toBe('Acme HR (sandbox) verbinden');
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string }> }> };
        }
      ).axe;
      const result = await axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
      });
      return result.violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
    // Keyboard only: Tab to the key field, type, Enter submits.
    await page.keyboard.press('Tab');
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== 'f-api_key'; i++) {
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-api_key');
    await page.keyboard.type('sandbox-demo-key');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    await page.waitForLoadState();
    expect(await page.getByRole('heading').textContent()).toBe('Verbunden');
    await context.close();
  });
});

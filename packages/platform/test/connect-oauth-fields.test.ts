/**
 * An OAuth method with fields (BambooHR's company subdomain, Salesforce's login host): the
 * connect pages collect and check them, with inline errors, before sending the end user to the
 * provider, and the account keeps them. In Chromium, against the Acme HR sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectWorld,
  firstWidgetEvent,
  signInAndAllow,
  startConnectWorld,
} from './support/connect-world.js';
import { oauthWithFieldIntegrations, SANDBOX_OAUTH_CLIENT } from './support/test-integrations.js';

describe('an OAuth method with a field, in Chromium', () => {
  let w: ConnectWorld;
  beforeAll(async () => {
    w = await startConnectWorld('sqlite', {
      integrations: oauthWithFieldIntegrations,
      oauthClients: { 'acmehr-fields': SANDBOX_OAUTH_CLIENT, 'acmehr-select': SANDBOX_OAUTH_CLIENT },
    });
  }, 90_000);
  afterAll(async () => {
    await w?.close();
  });

  /** The SaaS page with the widget for `integration`, and the popup its button opens. */
  async function openPopup(integration: string) {
    const context = await w.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${w.saasUrl}/?mode=popup&integration=${integration}`);
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.locator('truto-connect').getByRole('button').click(),
    ]);
    return { context, page, popup };
  }

  it('asks for the field with inline errors, then signs in and keeps it in the account', async () => {
    const { context, page, popup } = await openPopup('acmehr-fields');
    const field = popup.getByLabel('API path');
    // Nothing entered: an inline error, and still no way to the provider.
    await popup.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => popup.locator('#f-api_path-err').textContent()).toBe('API path is required.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await popup.getByRole('link', { name: /Continue to/ }).count()).toBe(0);
    await popup.getByLabel('API path').fill('Not A Path!');
    await popup.getByRole('button', { name: 'Next' }).click();
    await expect
      .poll(() => popup.locator('#f-api_path-err').textContent())
      .toBe('API path is not in the expected format.');
    expect(await popup.getByLabel('API path').inputValue()).toBe('Not A Path!');
    await popup.getByLabel('API path').fill('api');
    await popup.getByRole('button', { name: 'Next' }).click();
    await popup.getByRole('link', { name: 'Continue to Acme HR (with a field)' }).click();
    await signInAndAllow(popup);
    const event = await firstWidgetEvent(page);
    await context.close();
    expect(event?.type).toBe('truto-connect-success');
    const account = (await (
      await fetch(`${w.platformUrl}/integrated-accounts/${event?.detail.integratedAccountId}`, {
        headers: { authorization: `Bearer ${w.apiToken}` },
      })
    ).json()) as { status: string; context: Record<string, string> };
    expect(account).toMatchObject({
      status: 'active',
      context: { apiPath: 'api', companyName: 'Acme Corporation' },
    });
  });

  it('after sign-in, an entered value that matches nothing listed is an error, and creates nothing', async () => {
    const accounts = async () =>
      (
        (await (
          await fetch(`${w.platformUrl}/integrated-accounts`, {
            headers: { authorization: `Bearer ${w.apiToken}` },
          })
        ).json()) as { total: number }
      ).total;
    const before = await accounts();
    const { context, page, popup } = await openPopup('acmehr-select');
    await popup.getByLabel(/Employee email/).fill('nobody@example.com');
    await popup.getByRole('button', { name: 'Next' }).click();
    await popup.getByRole('link', { name: 'Continue to Acme HR (pick an employee)' }).click();
    await signInAndAllow(popup);
    const event = await firstWidgetEvent(page);
    await context.close();
    expect(event).toMatchObject({ type: 'truto-connect-error', detail: { code: 'connection_error' } });
    expect(event?.detail.message).toMatch(
      /^Acme HR \(pick an employee\) could not be connected: none of the \d+ items listed has email "nobody@example.com" \(listed: /,
    );
    expect(await accounts()).toBe(before);
  });

  it('answers an OAuth start without the fields with the form and its errors, not a 5xx', async () => {
    const { token } = await w.linkToken({ integration: 'acmehr-fields' });
    const res = await fetch(`${w.platformUrl}/link/oauth/start?link_token=${token}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('API path is required.');
    const bad = await fetch(`${w.platformUrl}/link/oauth/start?link_token=${token}&api_path=..%2Fx`, {
      redirect: 'manual',
    });
    expect(bad.status).toBe(400);
    const good = await fetch(`${w.platformUrl}/link/oauth/start?link_token=${token}&api_path=api`, {
      redirect: 'manual',
    });
    expect(good.status).toBe(302);
  });
});

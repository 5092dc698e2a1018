import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectWorld, startConnectWorld } from './support/connect-world.js';
import { DATABASE_KINDS } from './support/databases.js';
import { brokenSetupIntegrations } from './support/test-integrations.js';

describe.each(DATABASE_KINDS)('the connect pages over HTTP on %s', (kind) => {
  let w: ConnectWorld;
  beforeAll(async () => {
    w = await startConnectWorld(kind, { integrations: brokenSetupIntegrations });
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  const auth = () => ({ authorization: `Bearer ${w.apiToken}`, 'content-type': 'application/json' });

  /** Opens the page and submits its form, as a browser would in redirect mode. */
  async function submit(linkUrl: string, fields: Record<string, string>, query: Record<string, string> = {}) {
    const url = new URL(linkUrl);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const page = await (await fetch(url)).text();
    const hidden = Object.fromEntries(
      [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1],
        m[2]?.replace(/&amp;/g, '&'),
      ]),
    );
    return fetch(`${w.platformUrl}/link/connect`, {
      method: 'POST',
      body: new URLSearchParams({ ...hidden, ...fields } as Record<string, string>),
      redirect: 'manual',
    });
  }

  async function verify(jwt: string) {
    const jwks = createLocalJWKSet(
      (await (await fetch(`${w.platformUrl}/.well-known/jwks.json`)).json()) as never,
    );
    return (await jwtVerify(jwt, jwks, { issuer: w.platformUrl, audience: w.tenantId })).payload;
  }

  it('answers a post-install failure with post_install_error, for an account kept in status error', async () => {
    const { linkUrl } = await w.linkToken({ integration: 'acmehr-broken', redirectUri: `${w.saasUrl}/done` });
    const res = await submit(linkUrl, { api_key: 'sandbox-demo-key' });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get('location') as string);
    expect(`${back.origin}${back.pathname}`).toBe(`${w.saasUrl}/done`);
    expect(back.searchParams.get('error')).toBe('post_install_error');
    const claims = await verify(back.searchParams.get('result') as string);
    expect(claims.status).toBe('error');
    const account = await (
      await fetch(`${w.platformUrl}/integrated-accounts/${claims.sub}`, { headers: auth() })
    ).json();
    expect(account).toMatchObject({ status: 'error', statusReason: expect.stringContaining('"settings"') });
  });

  it('reconnects an account: same id, context kept, no new account', async () => {
    const first = await submit((await w.linkToken({ redirectUri: `${w.saasUrl}/done` })).linkUrl, {
      api_key: 'sandbox-demo-key',
    });
    const id = (
      await verify(new URL(first.headers.get('location') as string).searchParams.get('result') as string)
    ).sub as string;
    const before = (await (
      await fetch(`${w.platformUrl}/integrated-accounts`, { headers: auth() })
    ).json()) as { total: number };
    const { linkUrl } = await w.linkToken({ integratedAccountId: id, redirectUri: `${w.saasUrl}/done` });
    const again = await submit(linkUrl, { api_key: 'sandbox-demo-key' });
    const claims = await verify(
      new URL(again.headers.get('location') as string).searchParams.get('result') as string,
    );
    expect(claims.sub).toBe(id);
    const after = (await (
      await fetch(`${w.platformUrl}/integrated-accounts`, { headers: auth() })
    ).json()) as { total: number };
    expect(after.total).toBe(before.total);
    const account = await (
      await fetch(`${w.platformUrl}/integrated-accounts/${id}`, { headers: auth() })
    ).json();
    expect(account).toMatchObject({ id, status: 'active', context: { companyId: 'co_acme' } });
  });

  it('refuses a form without the CSRF token and creates nothing', async () => {
    const { linkUrl, token } = await w.linkToken();
    const res = await fetch(`${w.platformUrl}/link/connect`, {
      method: 'POST',
      body: new URLSearchParams({
        link_token: token,
        authFormat: 'api_key',
        api_key: 'sandbox-demo-key',
        mode: 'redirect',
      }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    // The token is still usable: nothing was consumed.
    expect((await fetch(linkUrl)).status).toBe(200);
  });

  it('reports the flow on the status channel, with CORS for the tenant origins only', async () => {
    const nonce = 'n0nce-for-the-status-channel';
    const { linkUrl } = await w.linkToken();
    const statusUrl = `${w.platformUrl}/link/status/${nonce}`;
    expect((await fetch(statusUrl)).status).toBe(404);
    await fetch(`${linkUrl}&mode=popup&nonce=${nonce}&origin=${encodeURIComponent(w.saasUrl)}`);
    const pending = await fetch(statusUrl, { headers: { origin: w.saasUrl } });
    expect(await pending.json()).toEqual({ state: 'pending' });
    expect(pending.headers.get('access-control-allow-origin')).toBe(w.saasUrl);
    const foreign = await fetch(statusUrl, { headers: { origin: 'https://evil.test' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const done = await submit(
      linkUrl,
      { api_key: 'sandbox-demo-key' },
      { mode: 'popup', nonce, origin: w.saasUrl },
    );
    const page = await done.text();
    // The page posts to the widget's exact origin.
    expect(page).toContain(`"targetOrigin":"${w.saasUrl}"`);
    const status = (await (await fetch(statusUrl)).json()) as Record<string, string>;
    expect(status).toMatchObject({ state: 'success', type: 'success', integration: 'acmehr' });
    expect((await verify(status.result as string)).sub).toBe(status.integratedAccountId);
  });

  it('never posts a result to an origin the tenant did not allow', async () => {
    const { linkUrl } = await w.linkToken();
    const res = await submit(
      linkUrl,
      { api_key: 'sandbox-demo-key' },
      { mode: 'popup', nonce: 'another-nonce-123456', origin: 'https://evil.test' },
    );
    const page = await res.text();
    expect(page).not.toContain('evil.test');
    expect(page).toContain('"message":null');
  });

  it('speaks the language `lang` asks for, over Accept-Language, and keeps it through the form', async () => {
    const { linkUrl } = await w.linkToken();
    const german = await (
      await fetch(`${linkUrl}&lang=de`, { headers: { 'accept-language': 'en-US' } })
    ).text();
    expect(german).toContain('<html lang="de">');
    expect(german).toContain('Acme HR (sandbox) verbinden');
    expect(german).toContain('<input type="hidden" name="lang" value="de">');
    const english = await (
      await fetch(linkUrl, { headers: { 'accept-language': 'fr-FR, en;q=0.5' } })
    ).text();
    expect(english).toContain('<html lang="en">');
    const preferred = await (
      await fetch(linkUrl, { headers: { 'accept-language': 'fr-FR, de;q=0.8, en;q=0.5' } })
    ).text();
    expect(preferred).toContain('<html lang="de">');
  });

  it('rate-limits form posts', async () => {
    const { token } = await w.linkToken();
    let last = 0;
    for (let i = 0; i < 35 && last !== 429; i++) {
      last = (
        await fetch(`${w.platformUrl}/link/connect`, {
          method: 'POST',
          body: new URLSearchParams({ link_token: token, csrf: 'x' }),
        })
      ).status;
    }
    expect(last).toBe(429);
  });
});

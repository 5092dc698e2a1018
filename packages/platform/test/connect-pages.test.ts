import { createHash, randomBytes } from 'node:crypto';
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

  it('answers a provider that throttles the first step inline, as a throttle, and creates nothing', async () => {
    const count = async () =>
      (
        (await (await fetch(`${w.platformUrl}/integrated-accounts`, { headers: auth() })).json()) as {
          total: number;
        }
      ).total;
    const before = await count();
    const { linkUrl } = await w.linkToken({
      integration: 'acmehr-throttled',
      redirectUri: `${w.saasUrl}/done`,
    });
    const res = await submit(linkUrl, { api_key: 'not-the-key' });
    expect(res.status).toBe(429);
    const page = await res.text();
    expect(page).toContain('Acme HR (throttled) is limiting how often it can be called');
    expect(page).not.toContain('did not accept these credentials');
    expect(await count()).toBe(before);
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

  it("refuses another link token's CSRF value and a random one, and creates nothing", async () => {
    const other = await w.linkToken();
    const otherPage = await (await fetch(other.linkUrl)).text();
    const othersCsrf = /name="csrf" value="([^"]+)"/.exec(otherPage)?.[1] as string;
    expect(othersCsrf).toMatch(/^[\w-]{43}$/);
    const { linkUrl, token } = await w.linkToken();
    const accounts = async () =>
      (
        (await (
          await fetch(`${w.platformUrl}/integrated-accounts?limit=100`, { headers: auth() })
        ).json()) as {
          data: unknown[];
        }
      ).data.length;
    const before = await accounts();
    for (const csrf of [othersCsrf, randomBytes(32).toString('base64url'), 'x']) {
      const res = await fetch(`${w.platformUrl}/link/connect`, {
        method: 'POST',
        body: new URLSearchParams({
          link_token: token,
          authFormat: 'api_key',
          api_key: 'sandbox-demo-key',
          csrf,
        }),
        redirect: 'manual',
      });
      expect(res.status).toBe(403);
    }
    expect(await accounts()).toBe(before);
    expect((await fetch(linkUrl)).status).toBe(200);
  });

  /** A status secret as the widget makes one, and the hash the flow URL carries. */
  function statusSecret() {
    const secret = randomBytes(32).toString('base64url');
    return { secret, hash: createHash('sha256').update(secret).digest('base64url') };
  }
  const readStatus = (secret: string | undefined, origin?: string) =>
    fetch(`${w.platformUrl}/link/status`, {
      headers: { ...(secret ? { 'truto-status-secret': secret } : {}), ...(origin ? { origin } : {}) },
    });

  it("reports the flow on the status channel to the secret's holder only, with CORS for the tenant origins only", async () => {
    const nonce = 'n0nce-for-the-status-channel';
    const { secret, hash } = statusSecret();
    const { linkUrl } = await w.linkToken();
    expect((await readStatus(secret)).status).toBe(404);
    const params = { mode: 'popup', nonce, origin: w.saasUrl, status: hash };
    const opened = await fetch(`${linkUrl}&${new URLSearchParams(params)}`);
    expect(opened.status).toBe(200);
    // The secret is nowhere in what the pages show or link to; the hash is what they carry.
    const form = await opened.text();
    expect(form).not.toContain(secret);
    expect(form).toContain(`name="status" value="${hash}"`);
    const pending = await readStatus(secret, w.saasUrl);
    expect(await pending.json()).toEqual({ state: 'pending' });
    expect(pending.headers.get('access-control-allow-origin')).toBe(w.saasUrl);
    const foreign = await readStatus(secret, 'https://evil.test');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const done = await submit(linkUrl, { api_key: 'sandbox-demo-key' }, params);
    const page = await done.text();
    // The page posts to the widget's exact origin.
    expect(page).toContain(`"targetOrigin":"${w.saasUrl}"`);
    const status = (await (await readStatus(secret)).json()) as Record<string, string>;
    expect(status).toMatchObject({ state: 'success', type: 'success', integration: 'acmehr' });
    expect((await verify(status.result as string)).sub).toBe(status.integratedAccountId);

    // What the old channel handed to anyone: the nonce, the hash, no secret or a wrong one.
    expect((await fetch(`${w.platformUrl}/link/status/${nonce}`)).status).toBe(404);
    for (const guess of [undefined, nonce, hash, statusSecret().secret]) {
      const res = await readStatus(guess);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(status.result as string);
    }
  });

  it('admits the status secret header in the CORS preflight', async () => {
    const res = await fetch(`${w.platformUrl}/link/status`, {
      method: 'OPTIONS',
      headers: {
        origin: w.saasUrl,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'truto-status-secret',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(w.saasUrl);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('truto-status-secret');
  });

  it('binds a status record to its link token: another token of the tenant cannot reset or overwrite it', async () => {
    const { secret, hash } = statusSecret();
    const victim = await w.linkToken();
    const params = { mode: 'popup', nonce: 'victim-nonce-0123456', origin: w.saasUrl, status: hash };
    await submit(victim.linkUrl, { api_key: 'sandbox-demo-key' }, params);
    const before = await (await readStatus(secret)).json();
    expect(before).toMatchObject({ state: 'success' });
    const attacker = await w.linkToken();
    const reset = await fetch(`${attacker.linkUrl}&${new URLSearchParams(params)}`);
    expect(reset.status).toBe(409);
    // Through the form and the OAuth start too: nothing the attacker's token does touches it.
    await submit(attacker.linkUrl, { api_key: 'wrong-key' }, params);
    await fetch(
      `${w.platformUrl}/link/oauth/start?link_token=${attacker.token}&${new URLSearchParams(params)}`,
      {
        redirect: 'manual',
      },
    );
    expect(await (await readStatus(secret)).json()).toEqual(before);
  });

  it('caps the status records one link token can create', async () => {
    const { linkUrl } = await w.linkToken();
    const open = () =>
      fetch(`${linkUrl}&${new URLSearchParams({ mode: 'popup', status: statusSecret().hash })}`);
    for (let i = 0; i < 20; i++) expect((await open()).status).toBe(200);
    const refused = await open();
    expect(refused.status).toBe(429);
    // Without a status hash (redirect mode) the page still opens: nothing is recorded.
    expect((await fetch(linkUrl)).status).toBe(200);
  });

  it('answers `lang=constructor` and `Accept-Language: __proto__` on every connect page without a 5xx', async () => {
    const { linkUrl, token } = await w.linkToken();
    const headers = { 'accept-language': '__proto__' };
    const pages = [
      fetch(`${linkUrl}&lang=constructor`, { headers }),
      fetch(`${linkUrl}&lang=__proto__`, { headers }),
      fetch(`${w.platformUrl}/link/connect?link_token=nope&lang=constructor`, { headers }),
      fetch(`${w.platformUrl}/link/connect`, {
        method: 'POST',
        headers,
        body: new URLSearchParams({ link_token: token, lang: 'constructor', csrf: 'x' }),
      }),
      fetch(`${w.platformUrl}/link/oauth/start?link_token=${token}&lang=constructor`, {
        headers,
        redirect: 'manual',
      }),
      fetch(`${w.platformUrl}/link/oauth/callback?state=nope&lang=constructor`, { headers }),
      fetch(`${w.platformUrl}/link/status?lang=constructor`, { headers }),
    ];
    for (const res of await Promise.all(pages)) {
      expect(res.status).toBeLessThan(500);
      const body = await res.text();
      if (res.headers.get('content-type')?.includes('html')) expect(body).toContain('<html lang="en">');
    }
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

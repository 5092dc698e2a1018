/**
 * The helper against a real platform and sandbox, on Express 4 and Express 5: link tokens bound
 * to the resolver's user, results accepted once and refused when tampered, expired, another
 * user's or another tenant's, webhooks verified and de-duplicated, and the browser-facing guards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAdminClient, RESULT_TYPE, WEBHOOK_SIGNATURE_TYPE } from '../src/index.js';
import { sha256, signWithPlatformKey, signWithStrangerKey, tamper } from './support/tokens.js';
import {
  connectWithApiKey,
  EXPRESS_MAJORS,
  platformLinkToken,
  postFromPage,
  SANDBOX_KEY,
  startWorld,
  type World,
} from './support/world.js';

describe.each(EXPRESS_MAJORS)('trutoConnect on %s', (_name, express) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(express);
    // Variants on the same app: tenant id configured, and a fresh helper that has learned nothing.
    w.mount('/pinned', { tenantId: w.tenantA.id });
    w.mount('/fresh', {});
  });
  afterAll(async () => {
    await w?.close();
  });

  const linkToken = async (user: string, body: Record<string, unknown> = { integration: 'acmehr' }) => {
    const res = await postFromPage(`${w.appUrl}/truto/link-token`, body, user);
    expect(res.status).toBe(201);
    return (await res.json()) as { linkToken: string; linkUrl: string; expiresAt: string };
  };

  /** A real signed result for `user`, obtained through the connect page. */
  const resultFor = async (user: string) => {
    const { linkUrl } = await linkToken(user);
    const landing = await connectWithApiKey(linkUrl);
    const result = landing.searchParams.get('result');
    if (!result) throw new Error(`no result in ${landing.href}`);
    return { landing, result };
  };

  it('mints a link token bound to the resolver’s user, whose result comes back to /callback', async () => {
    const res = await postFromPage(
      `${w.appUrl}/truto/link-token`,
      { integration: 'acmehr', externalId: 'someone-else', authFormat: 'api_key' },
      'user-1',
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { linkToken: string; linkUrl: string; expiresAt: string };
    expect(body.linkToken).toMatch(/^tc_link_/);
    expect(new URL(body.linkUrl).searchParams.get('authFormat')).toBe('api_key');
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
    const stored = await w.platform.stores.linkTokens.findUsable(body.linkToken);
    expect(stored).toMatchObject({ external_id: 'user-1', redirect_uri: `${w.appUrl}/truto/callback` });
  });

  it('answers 401 without a signed-in user and 400 for an integration that is not offered', async () => {
    const anonymous = await postFromPage(
      `${w.appUrl}/truto/link-token`,
      { integration: 'acmehr' },
      undefined,
    );
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'unauthenticated' });
    const other = await postFromPage(`${w.appUrl}/truto/link-token`, { integration: 'bamboohr' }, 'user-1');
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ error: 'integration_not_allowed' });
  });

  it('accepts a good result once: onConnected is called once, the same result again answers 200', async () => {
    const { result } = await resultFor('user-2');
    const before = w.connected.length;
    const first = await postFromPage(`${w.appUrl}/truto/complete`, { result }, 'user-2');
    expect(first.status).toBe(200);
    const { connection } = (await first.json()) as { connection: Record<string, unknown> };
    expect(connection).toMatchObject({
      integration: 'acmehr',
      externalId: 'user-2',
      status: 'active',
      context: { companyId: 'co_acme' },
    });
    expect(connection.integratedAccountId).toMatch(/^acc_/);
    const again = await postFromPage(`${w.appUrl}/truto/complete`, { result }, 'user-2');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ connection });
    expect(w.connected.length).toBe(before + 1);
    expect(w.connected.at(-1)).toEqual({ connection, user: 'user-2' });
  });

  const complete = (path: string, result: unknown, user: string) =>
    postFromPage(`${w.appUrl}${path}/complete`, { result }, user);

  /** A result signed with the platform's key, with claims of our choosing. */
  const craftResult = async (
    accountId: string,
    user: string,
    overrides: { typ?: string; iss?: string; aud?: string; iat?: number; exp?: number } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    return signWithPlatformKey(
      w,
      {
        iss: overrides.iss ?? w.platformUrl,
        aud: overrides.aud ?? w.tenantA.id,
        sub: accountId,
        jti: randomBytes(8).toString('hex'),
        integration: 'acmehr',
        status: 'active',
        external_id: user,
      },
      { typ: overrides.typ ?? RESULT_TYPE },
      { iat: overrides.iat ?? now, exp: overrides.exp ?? now + 600 },
    );
  };

  const accountIdOf = async (user: string) => {
    const { result } = await resultFor(user);
    const res = await complete('/truto', result, user);
    expect(res.status).toBe(200);
    return ((await res.json()) as { connection: { integratedAccountId: string } }).connection
      .integratedAccountId;
  };

  it('accepts a result crafted with the platform’s key (the control for the refusals below)', async () => {
    const accountId = await accountIdOf('user-c');
    const res = await complete('/pinned', await craftResult(accountId, 'user-c'), 'user-c');
    expect(res.status).toBe(200);
  });

  it('refuses a tampered result (400 invalid_result) and calls nothing', async () => {
    const { result } = await resultFor('user-t');
    const before = w.connected.length;
    const res = await complete('/truto', tamper(result), 'user-tx');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_result' });
    const garbage = await complete('/truto', 'not-a-jwt', 'user-t');
    expect(await garbage.json()).toMatchObject({ error: 'invalid_result' });
    expect(w.connected.length).toBe(before);
  });

  it('refuses an expired result (400 result_expired), a wrong typ and a wrong issuer (400 invalid_result)', async () => {
    const accountId = await accountIdOf('user-e');
    const now = Math.floor(Date.now() / 1000);
    const before = w.connected.length;
    const expired = await complete(
      '/pinned',
      await craftResult(accountId, 'user-e', { iat: now - 7200, exp: now - 3600 }),
      'user-e',
    );
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({ error: 'result_expired' });
    const typ = await complete(
      '/pinned',
      await craftResult(accountId, 'user-e', { typ: WEBHOOK_SIGNATURE_TYPE }),
      'user-e',
    );
    expect(await typ.json()).toMatchObject({ error: 'invalid_result' });
    const issuer = await complete(
      '/pinned',
      await craftResult(accountId, 'user-e', { iss: 'http://evil.test' }),
      'user-e',
    );
    expect(await issuer.json()).toMatchObject({ error: 'invalid_result' });
    const stranger = await complete(
      '/pinned',
      await signWithStrangerKey(
        { iss: w.platformUrl, aud: w.tenantA.id, sub: accountId, jti: 'x', external_id: 'user-e' },
        RESULT_TYPE,
      ),
      'user-e',
    );
    expect(await stranger.json()).toMatchObject({ error: 'invalid_result' });
    expect(w.connected.length).toBe(before);
  });

  it('refuses another user’s result (403 external_id_mismatch) and calls nothing', async () => {
    const { result } = await resultFor('user-3');
    const before = w.connected.length;
    const res = await complete('/truto', result, 'user-4');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'external_id_mismatch' });
    expect(w.connected.length).toBe(before);
    // The rightful user can still use it.
    expect((await complete('/truto', result, 'user-3')).status).toBe(200);
  });

  it('refuses a valid result of another tenant of the same platform (403 wrong_tenant)', async () => {
    const { linkUrl } = await platformLinkToken(w, w.tenantB.apiToken, {
      externalId: 'user-b',
      redirectUri: `${w.appUrl}/elsewhere`,
    });
    const result = (await connectWithApiKey(linkUrl)).searchParams.get('result') as string;
    expect(result).toBeTruthy();
    const before = w.connected.length;
    for (const path of ['/pinned', '/fresh', '/truto']) {
      const res = await complete(path, result, 'user-b');
      expect(res.status, path).toBe(403);
      expect(await res.json(), path).toMatchObject({ error: 'wrong_tenant' });
    }
    expect(w.connected.length).toBe(before);
    // The fresh helper did not adopt tenant B: a result of tenant A still works there, and then
    // tenant B's is refused by the audience check alone.
    const { result: own } = await resultFor('user-f');
    expect((await complete('/fresh', own, 'user-f')).status).toBe(200);
    expect(await (await complete('/fresh', result, 'user-b')).json()).toMatchObject({
      error: 'wrong_tenant',
    });
  });

  it('GET /callback: a good result once -> 303 to success; again -> success without a second call', async () => {
    const { landing } = await resultFor('user-cb');
    expect(`${landing.origin}${landing.pathname}`).toBe(`${w.appUrl}/truto/callback`);
    const before = w.connected.length;
    const visit = () => fetch(landing, { headers: { 'x-user': 'user-cb' }, redirect: 'manual' });
    const first = await visit();
    expect(first.status).toBe(303);
    const target = new URL(first.headers.get('location') as string, w.appUrl);
    expect(target.pathname).toBe('/settings');
    expect(Object.fromEntries(target.searchParams)).toMatchObject({
      tab: 'integrations',
      truto: 'connected',
      integration: 'acmehr',
    });
    expect(target.searchParams.get('integratedAccountId')).toMatch(/^acc_/);
    const second = await visit();
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(w.connected.length).toBe(before + 1);
  });

  it('GET /callback: tampered, other-user, expired, other-tenant results and platform errors -> 303 to failure with the code, nothing called', async () => {
    const { landing } = await resultFor('user-cf');
    const accountId = await accountIdOf('user-cf');
    const now = Math.floor(Date.now() / 1000);
    const expired = await craftResult(accountId, 'user-cf', { iat: now - 7200, exp: now - 3600 });
    const { linkUrl } = await platformLinkToken(w, w.tenantB.apiToken, {
      externalId: 'user-cf',
      redirectUri: `${w.appUrl}/elsewhere`,
    });
    const foreign = (await connectWithApiKey(linkUrl)).searchParams.get('result') as string;
    const before = w.connected.length;
    const go = async (query: string, user = 'user-cf') => {
      const res = await fetch(`${w.appUrl}/truto/callback?${query}`, {
        headers: { 'x-user': user },
        redirect: 'manual',
      });
      expect(res.status).toBe(303);
      return new URL(res.headers.get('location') as string, w.appUrl);
    };
    const result = landing.searchParams.get('result') as string;
    const tampered = await go(`result=${tamper(result)}`);
    expect(tampered.pathname).toBe('/settings');
    expect(Object.fromEntries(tampered.searchParams)).toEqual({ truto: 'error', error: 'invalid_result' });
    expect((await go(`result=${result}`, 'user-other')).searchParams.get('error')).toBe(
      'external_id_mismatch',
    );
    expect((await go(`result=${result}`, '')).searchParams.get('error')).toBe('unauthenticated');
    expect((await go('error=connection_error')).searchParams.get('error')).toBe('connection_error');
    expect((await go('error=%3Cscript%3E')).searchParams.get('error')).toBe('connection_error');
    // Expired, and another tenant's: the same refusals as /complete.
    expect((await go(`result=${expired}`)).searchParams.get('error')).toBe('result_expired');
    expect((await go(`result=${foreign}`)).searchParams.get('error')).toBe('wrong_tenant');
    expect(w.connected.length).toBe(before);
  });

  it('refuses cross-site posts (403), non-JSON (415), malformed JSON (400), big bodies (413), wrong methods (405)', async () => {
    const url = `${w.appUrl}/truto/link-token`;
    const body = { integration: 'acmehr' };
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ 'sec-fetch-site': 'cross-site' }, 403, 'cross_site_request'],
      [{ 'sec-fetch-site': 'same-site' }, 403, 'cross_site_request'],
      [{ 'sec-fetch-site': '', origin: 'https://evil.test' }, 403, 'cross_site_request'],
      [{ 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ];
    for (const [headers, status, code] of cases) {
      const init = { ...headers };
      // An empty value means "the browser did not send this header".
      const res = await fetch(url, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries({
            'content-type': 'application/json',
            'sec-fetch-site': 'same-origin',
            origin: w.appUrl,
            'x-user': 'user-x',
            ...init,
          }).filter(([, v]) => v !== ''),
        ),
        body: JSON.stringify(body),
      });
      expect(res.status, JSON.stringify(headers)).toBe(status);
      expect(await res.json()).toEqual({ error: code, message: expect.any(String) });
    }
    const complete = await postFromPage(`${w.appUrl}/truto/complete`, { result: 'x' }, 'user-x', {
      'sec-fetch-site': 'cross-site',
    });
    expect(complete.status).toBe(403);
    const malformed = await postFromPage(url, '{"integration":', 'user-x');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'invalid_json' });
    const big = await postFromPage(url, { integration: 'acmehr', pad: 'x'.repeat(64 * 1024) }, 'user-x');
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large' });
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    // Paths that are not the helper's fall through to the app (Express's own 404 here).
    const elsewhere = await fetch(`${w.appUrl}/truto/elsewhere`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.headers.get('content-type')).not.toContain('application/json');
    // Without Sec-Fetch-Site, an Origin of the app itself is accepted.
    const plain = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: w.appUrl, 'x-user': 'user-x' },
      body: JSON.stringify(body),
    });
    expect(plain.status).toBe(201);
  });

  it('reconnects only the user’s own account (403 account_not_owned otherwise)', async () => {
    const accountId = await accountIdOf('user-r');
    const own = await postFromPage(
      `${w.appUrl}/truto/link-token`,
      { integration: 'acmehr', integratedAccountId: accountId },
      'user-r',
    );
    expect(own.status).toBe(201);
    const token = (await own.json()) as { linkToken: string };
    expect(await w.platform.stores.linkTokens.findUsable(token.linkToken)).toMatchObject({
      integrated_account_id: accountId,
      external_id: 'user-r',
    });
    for (const [user, id] of [
      ['user-s', accountId],
      ['user-r', 'acc_doesnotexist'],
    ] as const) {
      const res = await postFromPage(
        `${w.appUrl}/truto/link-token`,
        { integration: 'acmehr', integratedAccountId: id },
        user,
      );
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: 'account_not_owned' });
    }
  });

  it('never leaks the API token when the platform refuses (502 platform_error)', async () => {
    // A public URL the tenant does not allow: the platform refuses the link token's redirectUri.
    w.mount('/misconfigured', { publicUrl: 'http://not-allowed.test' });
    const res = await postFromPage(
      `${w.appUrl}/misconfigured/link-token`,
      { integration: 'acmehr' },
      'user-x',
      {
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'platform_error' });
    expect(text).toContain('redirect_uri_not_allowed');
    expect(text).not.toContain(w.tenantA.apiToken);
    expect(w.errors.at(-1)).toMatchObject({ code: 'platform_error' });
  });

  describe('webhooks', () => {
    const postWebhook = (body: Uint8Array | string, signature: string | undefined, path = '/truto') =>
      fetch(`${w.appUrl}${path}/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'truto-signature': signature } : {}),
        },
        body,
      });

    /** Connects an account and waits for its `active` event to reach onEvent. */
    const deliveredActiveEvent = async (user: string) => {
      const accountId = await accountIdOf(user);
      await expect
        // The platform delivers events in parallel: their order is not part of the contract.
        .poll(
          () =>
            w.events
              .filter((e) => e.data.integratedAccountId === accountId)
              .map((e) => e.type)
              .sort(),
          {
            timeout: 10_000,
          },
        )
        .toEqual(['integrated_account:active', 'integrated_account:created']);
      const delivery = w.deliveries.find((d) => {
        const event = JSON.parse(d.body.toString('utf8')) as {
          type: string;
          data: { integratedAccountId: string };
        };
        return event.data.integratedAccountId === accountId && event.type === 'integrated_account:active';
      });
      if (!delivery) throw new Error('no delivery captured');
      return { accountId, delivery };
    };

    it('delivers real events to onEvent once each, and a replayed delivery is acknowledged without a call', async () => {
      const { delivery } = await deliveredActiveEvent('user-w1');
      const before = w.events.length;
      const replay = await postWebhook(delivery.body, delivery.headers['truto-signature']);
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ received: true, duplicate: true });
      expect(w.events.length).toBe(before);
    });

    it('refuses forged, changed, stale, unsigned and other-tenant deliveries; nothing is called', async () => {
      const { delivery, accountId } = await deliveredActiveEvent('user-w2');
      const before = w.events.length;
      const event = JSON.parse(delivery.body.toString('utf8')) as Record<string, unknown>;
      const fresh = { ...event, id: `evt_${randomBytes(6).toString('hex')}` };
      const freshBody = JSON.stringify(fresh);
      const now = Math.floor(Date.now() / 1000);
      // `exp` far ahead, so that only the age of `iat` can make a signature stale.
      const signed = (claims: Record<string, unknown>, iat = now) =>
        signWithPlatformKey(
          w,
          {
            iss: w.platformUrl,
            aud: w.tenantA.id,
            jti: fresh.id as string,
            body_sha256: sha256(freshBody),
            ...claims,
          },
          { typ: WEBHOOK_SIGNATURE_TYPE },
          { iat, exp: now + 3600 },
        );

      const changed = delivery.body.toString('utf8').replace('"active"', '"error"');
      const cases: Array<[string, Uint8Array | string, string | undefined, number, string]> = [
        ['changed body', changed, delivery.headers['truto-signature'], 400, 'body_mismatch'],
        [
          'forged (unknown key)',
          freshBody,
          await signWithStrangerKey(
            {
              iss: w.platformUrl,
              aud: w.tenantA.id,
              jti: fresh.id as string,
              body_sha256: sha256(freshBody),
            },
            WEBHOOK_SIGNATURE_TYPE,
          ),
          401,
          'invalid_signature',
        ],
        ['stale', freshBody, await signed({}, now - 600), 401, 'signature_expired'],
        ['unsigned', freshBody, undefined, 401, 'invalid_signature'],
        [
          'result typ',
          freshBody,
          await signWithPlatformKey(
            w,
            {
              iss: w.platformUrl,
              aud: w.tenantA.id,
              jti: fresh.id as string,
              body_sha256: sha256(freshBody),
            },
            { typ: RESULT_TYPE },
            { exp: now + 300 },
          ),
          401,
          'invalid_signature',
        ],
        ['other tenant', freshBody, await signed({ aud: w.tenantB.id }), 403, 'wrong_tenant'],
        ['other event id', freshBody, await signed({ jti: 'evt_other' }), 400, 'invalid_event'],
      ];
      for (const [name, body, signature, status, code] of cases) {
        for (const path of ['/truto', '/pinned']) {
          const res = await postWebhook(body, signature, path);
          expect(res.status, `${name} on ${path}`).toBe(status);
          expect(await res.json(), `${name} on ${path}`).toMatchObject({ error: code });
        }
      }
      expect(w.events.length).toBe(before);
      // The control: the same fresh event, correctly signed, is accepted once.
      const good = await postWebhook(freshBody, await signed({}));
      expect(good.status).toBe(200);
      expect(w.events.at(-1)).toMatchObject({ id: fresh.id, data: { integratedAccountId: accountId } });
    });

    it('verifies webhooks behind express.raw(), whose Buffer keeps the exact bytes', async () => {
      const path = `/raw-${randomBytes(4).toString('hex')}`;
      w.mount(path, {}, express.raw({ type: 'application/json' }));
      const { delivery } = await deliveredActiveEvent('user-w5');
      const res = await postWebhook(delivery.body, delivery.headers['truto-signature'], path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true });
      const changed = await postWebhook(
        delivery.body.toString('utf8').replace('"active"', '"error"'),
        delivery.headers['truto-signature'],
        path,
      );
      expect(await changed.json()).toMatchObject({ error: 'body_mismatch' });
    });

    it('refuses the real events of another tenant whose webhook URL points at this helper', async () => {
      // Another tenant of the same platform sends its webhooks to this app (by mistake or on purpose).
      const mountName = `victim-${randomBytes(4).toString('hex')}`;
      w.mount(`/${mountName}`, {});
      const other = await w.platform.tenants.create({
        name: `C-${mountName}`,
        allowedOrigins: [w.appUrl],
        webhookUrl: `${w.appUrl}/hooks/${mountName}`,
      });
      const admin = createAdminClient({ baseUrl: w.platformUrl, apiToken: other.apiToken });
      const account = await admin.createIntegratedAccount({
        integration: 'acmehr',
        credentials: { api_key: SANDBOX_KEY },
      });
      await expect
        .poll(
          () => w.deliveries.filter((d) => d.target === mountName && d.status !== 0).map((d) => d.status),
          {
            timeout: 10_000,
          },
        )
        .toEqual([403, 403]);
      expect(w.events.some((e) => e.data.integratedAccountId === account.id)).toBe(false);
    });

    it('a helper that does not know its tenant learns it from a real event, and asks for a retry of a deleted one', async () => {
      const { accountId } = await deliveredActiveEvent('user-w3');
      const admin = createAdminClient({ baseUrl: w.platformUrl, apiToken: w.tenantA.apiToken });
      await admin.deleteIntegratedAccount(accountId);
      const deleted = await vi.waitFor(
        () => {
          const found = w.deliveries.find((d) => {
            const event = JSON.parse(d.body.toString('utf8')) as {
              type: string;
              data: { integratedAccountId: string };
            };
            return (
              event.type === 'integrated_account:deleted' && event.data.integratedAccountId === accountId
            );
          });
          if (!found) throw new Error('not delivered yet');
          return found;
        },
        { timeout: 10_000 },
      );
      const path = `/learner-${randomBytes(4).toString('hex')}`;
      w.mount(path, {});
      // A deleted account proves nothing: 503 and a Retry-After, nothing called.
      const early = await postWebhook(deleted.body, deleted.headers['truto-signature'], path);
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('60');
      expect(await early.json()).toMatchObject({ error: 'tenant_unknown' });
      // The account of the active event is gone too, so prove the tenant with a live one.
      const live = await deliveredActiveEvent('user-w4');
      const learned = await postWebhook(live.delivery.body, live.delivery.headers['truto-signature'], path);
      expect(learned.status).toBe(200);
      expect(
        await (await postWebhook(deleted.body, deleted.headers['truto-signature'], path)).json(),
      ).toEqual({
        received: true,
      });
      // A result of the deleted account: 404 account_not_found once the tenant is known.
      const orphan = await complete(path, await craftResult(accountId, 'user-w3'), 'user-w3');
      expect(orphan.status).toBe(404);
      expect(await orphan.json()).toMatchObject({ error: 'account_not_found' });
    });
  });

  it('releases the claim when onConnected throws (500 handler_failed), so the same result can be sent again', async () => {
    let failures = 1;
    const seen: string[] = [];
    w.mount('/flaky', {
      onConnected: async (connection) => {
        if (failures-- > 0) throw new Error('database down');
        seen.push(connection.integratedAccountId);
      },
    });
    const { result } = await resultFor('user-h');
    const failed = await complete('/flaky', result, 'user-h');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: 'handler_failed' });
    expect(w.errors.at(-1)).toMatchObject({
      code: 'handler_failed',
      cause: expect.objectContaining({ message: 'database down' }),
    });
    expect((await complete('/flaky', result, 'user-h')).status).toBe(200);
    expect((await complete('/flaky', result, 'user-h')).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('works behind express.json() for the browser routes, and says so for webhooks (500 raw_body_unavailable)', async () => {
    w.mount('/parsed', {}, express.json());
    const { result } = await resultFor('user-j');
    const res = await complete('/parsed', result, 'user-j');
    expect(res.status).toBe(200);
    const hook = await fetch(`${w.appUrl}/parsed/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'truto-signature': 'x' },
      body: '{"id":"evt_1"}',
    });
    expect(hook.status).toBe(500);
    expect(await hook.json()).toMatchObject({ error: 'raw_body_unavailable' });
  });
});

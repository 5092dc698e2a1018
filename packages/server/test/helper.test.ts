/**
 * The helper against a real platform and sandbox, on Express 4 and Express 5: link tokens bound
 * to the resolver's user, results accepted once and refused when tampered, expired, another
 * user's or another tenant's, webhooks verified and de-duplicated, and the browser-facing guards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectWithApiKey,
  EXPRESS_MAJORS,
  platformLinkToken,
  postFromPage,
  startWorld,
  type World,
} from './support/world.js';

describe.each(EXPRESS_MAJORS)('trutoConnect on %s', (_name, express) => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld(express);
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
});

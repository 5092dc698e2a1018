import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReauthRequiredError } from '../src/provider/token-refresh.js';
import type { Tenant } from '../src/store/tenants.js';
import {
  type ConnectWorld,
  connectWithOAuth,
  revokeRefreshTokenAtSandbox,
  startConnectWorld,
} from './support/connect-world.js';
import { DATABASE_KINDS } from './support/databases.js';

describe.each(DATABASE_KINDS)('OAuth token refresh on %s', (kind) => {
  let w: ConnectWorld;
  let tenant: Tenant;
  let refreshes = 0;
  beforeAll(async () => {
    // Six-second access tokens (due for refresh after three), so a slow machine cannot make a
    // refreshed token due again mid-test; webhooks to a closed port (the outbox keeps them).
    w = await startConnectWorld(kind, { accessTokenTtl: 6, webhookUrl: 'http://127.0.0.1:9/hooks' });
    w.sandbox.provider.on('grant.success', (ctx: { oidc: { params?: { grant_type?: unknown } } }) => {
      if (ctx.oidc.params?.grant_type === 'refresh_token') refreshes++;
    });
    tenant = (await w.platform.tenants.get(w.tenantId)) as Tenant;
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  /** Past the refresh point of a token just issued (half of its six seconds). */
  const expire = () => new Promise((resolve) => setTimeout(resolve, 3200));

  it('refreshes once for 50 concurrent provider calls around expiry', async () => {
    const id = await connectWithOAuth(w);
    await expire();
    refreshes = 0;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => w.platform.accounts.callMethod(tenant, id, 'get_company')),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(results[0]?.body).toMatchObject({ name: 'Acme Corporation' });
    expect(refreshes).toBe(1);
  });

  it('marks the account for reconnection and emits reauth_required when the refresh is refused', async () => {
    const id = await connectWithOAuth(w);
    // The end user revokes the app at the provider.
    expect(await revokeRefreshTokenAtSandbox(w, id)).toBe(200);
    await expire();
    await expect(w.platform.accounts.callMethod(tenant, id, 'get_company')).rejects.toBeInstanceOf(
      ReauthRequiredError,
    );
    const account = await w.platform.accounts.get(tenant, id);
    expect(account).toMatchObject({
      status: 'error',
      statusReason: expect.stringContaining('reconnect needed'),
    });
    const events = await w.platform.database.db
      .selectFrom('webhook_events')
      .select(['type', 'payload'])
      .where('tenant_id', '=', w.tenantId)
      .execute();
    expect(
      events
        .filter((e) => e.type === 'integrated_account:reauth_required')
        .map((e) => JSON.parse(e.payload).integratedAccountId),
    ).toEqual([id]);
  });
});

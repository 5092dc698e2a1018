import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialCipher, keyIdOf } from '../crypto/credential-cipher.js';
import { openDatabase, type PlatformDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { IDEMPOTENCY_TTL_MS, IdempotencyKeyStore } from '../store/idempotency-keys.js';
import { LinkFlowStore, statusHashOf } from '../store/link-flows.js';
import { LinkTokenStore } from '../store/link-tokens.js';
import { OAuthStateStore } from '../store/oauth-states.js';
import { TenantStore } from '../store/tenants.js';
import { enqueueWebhookEvents } from '../store/webhook-events.js';
import { purgeExpired, WEBHOOK_RETENTION_MS } from './purge-expired.js';

describe('purgeExpired', () => {
  let database: PlatformDatabase;
  beforeEach(async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database.db);
  });
  afterEach(async () => database.close());

  it('removes what expired and keeps what is still live', async () => {
    const db = database.db;
    const { tenant } = await new TenantStore(db).create({ name: 'T' });
    const tokens = new LinkTokenStore(db);
    const base = {
      tenantId: tenant.id,
      integration: 'acmehr',
      externalId: null,
      redirectUri: null,
      scopes: null,
      metadata: {},
      integratedAccountId: null,
    };
    const now = new Date();
    const past = new Date(now.getTime() - 1000);
    const future = new Date(now.getTime() + 60_000);
    const live = await tokens.create({ ...base, expiresAt: future });
    await tokens.create({ ...base, expiresAt: past });
    const flows = new LinkFlowStore(db);
    const owner = { tenantId: tenant.id, linkTokenHash: 'h' };
    const [oldSecret, newSecret] = ['o'.repeat(43), 'n'.repeat(43)];
    await flows.record(statusHashOf(oldSecret) as string, owner, 'success', null, past);
    await flows.record(statusHashOf(newSecret) as string, owner, 'pending', null, future);
    const key = Buffer.alloc(32, 1);
    const states = new OAuthStateStore(db, new CredentialCipher([{ id: keyIdOf(key), key }]));
    await states.save('old-state', { linkTokenHash: 'h', codeVerifier: 'v', flow: {} }, past);
    await states.save('new-state', { linkTokenHash: 'h', codeVerifier: 'v', flow: {} }, future);
    const keys = new IdempotencyKeyStore(db);
    await keys.claim(tenant.id, 'old-key', 'f', new Date(now.getTime() - IDEMPOTENCY_TTL_MS - 1000));
    await keys.claim(tenant.id, 'new-key', 'f', now);
    await enqueueWebhookEvents(db, [
      { tenantId: tenant.id, type: 'integrated_account:created', data: {} },
      { tenantId: tenant.id, type: 'integrated_account:created', data: {} },
      { tenantId: tenant.id, type: 'integrated_account:created', data: {} },
    ]);
    const [oldDelivered, recentDelivered] = await db.selectFrom('webhook_events').select('id').execute();
    const longAgo = new Date(now.getTime() - WEBHOOK_RETENTION_MS - 1000).toISOString();
    await db
      .updateTable('webhook_events')
      .set({ delivered_at: longAgo })
      .where('id', '=', oldDelivered?.id as string)
      .execute();
    await db
      .updateTable('webhook_events')
      .set({ delivered_at: now.toISOString() })
      .where('id', '=', recentDelivered?.id as string)
      .execute();

    expect(await purgeExpired(db, now)).toEqual({
      linkTokens: 1,
      linkFlows: 1,
      oauthStates: 1,
      webhookEvents: 1,
      idempotencyKeys: 1,
      mcpServers: 0,
      mcpToolCalls: 0,
      mcpRateWindows: 0,
    });
    expect(await db.selectFrom('idempotency_keys').select('key').execute()).toEqual([{ key: 'new-key' }]);
    expect(await tokens.findUsable(live.token)).toBeDefined();
    expect(await flows.read(newSecret)).toBeDefined();
    expect(await states.take('new-state')).toBeDefined();
    // Recently delivered and undelivered events stay.
    expect(await db.selectFrom('webhook_events').select('id').execute()).toHaveLength(2);
  });
});

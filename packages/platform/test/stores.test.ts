import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/crypto/tokens.js';
import { openDatabase, type PlatformDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { LinkTokenStore } from '../src/store/link-tokens.js';
import { TENANT_CACHE_TTL_MS, TenantStore } from '../src/store/tenants.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/databases.js';

describe.each(DATABASE_KINDS)('stores on %s', (kind) => {
  let test: TestDatabase;
  let database: PlatformDatabase;
  let tenantId: string;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    database = openDatabase(test.url);
    await migrateToLatest(database.db);
    tenantId = (await new TenantStore(database.db).create({ name: 'T' })).tenant.id;
  });
  afterAll(async () => {
    await database?.close();
    await test?.dispose();
  });

  const newToken = (overrides: { tenantId?: string } = {}) => ({
    tenantId: overrides.tenantId ?? tenantId,
    integration: 'bamboohr',
    externalId: 'u',
    redirectUri: null,
    scopes: null,
    metadata: {},
    integratedAccountId: null,
    expiresAt: new Date(Date.now() + 60_000),
  });

  it('writes concurrent link tokens in group commits, every one durable', async () => {
    const store = new LinkTokenStore(database.db);
    const minted = await Promise.all(Array.from({ length: 250 }, () => store.create(newToken())));
    const hashes = minted.map((m) => hashSecret(m.token));
    const rows = await database.db
      .selectFrom('link_tokens')
      .select('token_hash')
      .where('token_hash', 'in', hashes)
      .execute();
    expect(rows).toHaveLength(250);
  });

  it('fails only the bad row of a batch', async () => {
    const store = new LinkTokenStore(database.db);
    const results = await Promise.allSettled([
      store.create(newToken()),
      store.create(newToken({ tenantId: 'ten_does_not_exist' })),
      store.create(newToken()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    for (const r of results) {
      if (r.status === 'fulfilled') expect(await store.findUsable(r.value.token)).toBeDefined();
    }
  });

  it('reuses a tenant lookup for at most the cache lifetime', async () => {
    let now = 1_000_000;
    const tenants = new TenantStore(database.db, () => now);
    const { tenant, apiToken } = await tenants.create({ name: 'Cached' });
    expect((await tenants.findByApiToken(apiToken))?.id).toBe(tenant.id);
    // The token is replaced behind the cache's back (as a future rotation would).
    await database.db
      .updateTable('tenants')
      .set({ api_token_hash: hashSecret('other') })
      .where('id', '=', tenant.id)
      .execute();
    expect((await tenants.findByApiToken(apiToken))?.id).toBe(tenant.id);
    now += TENANT_CACHE_TTL_MS + 1;
    expect(await tenants.findByApiToken(apiToken)).toBeUndefined();
    expect((await tenants.findByApiToken('other'))?.id).toBe(tenant.id);
    expect(await tenants.findByApiToken('never-valid')).toBeUndefined();
  });

  it('replaces an API token at once in this process', async () => {
    const tenants = new TenantStore(database.db);
    const { tenant, apiToken } = await tenants.create({ name: 'Rotating' });
    expect(await tenants.findByApiToken(apiToken)).toBeDefined();
    const next = await tenants.replaceApiToken(tenant.id);
    expect(await tenants.findByApiToken(apiToken)).toBeUndefined();
    expect((await tenants.findByApiToken(next))?.id).toBe(tenant.id);
    expect((await tenants.findByName('Rotating'))?.id).toBe(tenant.id);
  });

  it('turns a token off for every process: disabled in the database, refused on the next lookup', async () => {
    let now = 1_000_000;
    const here = new TenantStore(database.db, () => now);
    const elsewhere = new TenantStore(database.db, () => now);
    const { tenant, apiToken } = await here.create({ name: 'Disabled' });
    expect(await elsewhere.findByApiToken(apiToken)).toBeDefined();
    await here.disable(tenant.id);
    expect(await here.findByApiToken(apiToken)).toBeUndefined();
    now += TENANT_CACHE_TTL_MS + 1;
    expect(await elsewhere.findByApiToken(apiToken)).toBeUndefined();
    // Rotating issues a working token again.
    const next = await here.replaceApiToken(tenant.id);
    expect((await elsewhere.findByApiToken(next))?.id).toBe(tenant.id);
    await expect(here.disable('ten_missing')).rejects.toMatchObject({ code: 'not_found' });
    await expect(here.replaceApiToken('ten_missing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses operator-chosen API tokens under 32 characters', async () => {
    const tenants = new TenantStore(database.db);
    await expect(tenants.create({ name: 'Short', apiToken: 'x'.repeat(31) })).rejects.toMatchObject({
      code: 'invalid_config',
    });
    const { tenant } = await tenants.create({ name: 'Long', apiToken: 'y'.repeat(32) });
    await expect(tenants.replaceApiToken(tenant.id, 'short')).rejects.toMatchObject({
      code: 'invalid_config',
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type PlatformDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { purgeExpired } from '../maintenance/purge-expired.js';
import { McpServerStore } from '../store/mcp-servers.js';
import { McpToolCallStore, TOOL_CALL_RETENTION_MS } from '../store/mcp-tool-calls.js';
import { TenantStore } from '../store/tenants.js';

describe('housekeeping of MCP records', () => {
  let database: PlatformDatabase;
  beforeEach(async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database.db);
  });
  afterEach(async () => database.close());

  it('removes expired MCP servers and tool-call records past retention, keeps the rest', async () => {
    const db = database.db;
    const { tenant } = await new TenantStore(db).create({ name: 'T' });
    const now = new Date();
    await db
      .insertInto('integrated_accounts')
      .values({
        id: 'acc_1',
        seq: 1,
        tenant_id: tenant.id,
        integration: 'acmehr',
        auth_format: 'api_key',
        name: 'A',
        status: 'active',
        status_reason: null,
        external_id: null,
        context: '{}',
        metadata: '{}',
        credentials: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      } as never)
      .execute();
    const servers = new McpServerStore(db);
    const base = {
      tenantId: tenant.id,
      integratedAccountId: 'acc_1',
      allowedMethods: null,
      requireAdditionalAuth: false,
      transport: 'http' as const,
    };
    const expired = await servers.create({
      ...base,
      expiresAt: new Date(now.getTime() - 1000).toISOString(),
    });
    const live = await servers.create({ ...base, expiresAt: new Date(now.getTime() + 60_000).toISOString() });
    const forever = await servers.create(base);
    expect(await servers.findBySecret(expired.secret, now)).toBeUndefined();
    expect(await servers.findBySecret(live.secret, now)).toBeDefined();

    const calls = new McpToolCallStore(db);
    const call = {
      tenantId: tenant.id,
      integratedAccountId: 'acc_1',
      mcpServerId: live.row.id,
      tool: 't',
      durationMs: 3,
    };
    const old = await calls.record({ ...call, outcome: 'ok' });
    await calls.record({ ...call, outcome: 'provider_error', providerStatus: 404 });
    await db
      .updateTable('mcp_tool_calls')
      .set({ created_at: new Date(now.getTime() - TOOL_CALL_RETENTION_MS - 1000).toISOString() })
      .where('id', '=', old.id)
      .execute();

    const counts = await purgeExpired(db, now);
    expect(counts).toMatchObject({ mcpServers: 1, mcpToolCalls: 1 });
    const left = await db.selectFrom('mcp_servers').select('id').execute();
    expect(left.map((r) => r.id).sort()).toEqual([live.row.id, forever.row.id].sort());
    expect((await calls.listForAccount(tenant.id, 'acc_1', { page: 1, limit: 10 })).total).toBe(1);
  });
});

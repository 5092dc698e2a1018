/**
 * MCP serving: an optional expiry per MCP server, the audit trail of tool calls (no
 * arguments, no secrets; kept without a foreign key so it outlives a revoked server), and the
 * per-server rate-limit windows that every process shares.
 * @module
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mcp_servers').addColumn('expires_at', 'text').execute();
  await db.schema
    .createTable('mcp_tool_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('integrated_account_id', 'text', (c) => c.notNull())
    .addColumn('mcp_server_id', 'text', (c) => c.notNull())
    .addColumn('tool', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('provider_status', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mcp_tool_calls_account')
    .on('mcp_tool_calls')
    .columns(['tenant_id', 'integrated_account_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('mcp_tool_calls_created_at')
    .on('mcp_tool_calls')
    .column('created_at')
    .execute();
  await db.schema
    .createTable('mcp_rate_windows')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('mcp_rate_windows_pk', ['key', 'window_start'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mcp_rate_windows').execute();
  await db.schema.dropTable('mcp_tool_calls').execute();
  await db.schema.alterTable('mcp_servers').dropColumn('expires_at').execute();
}

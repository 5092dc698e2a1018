/**
 * Keeps the tables from growing without bound: removes link tokens, flow records, OAuth states
 * and idempotency keys once they expired, webhook events a week after they were delivered or
 * given up, expired MCP servers, MCP tool-call records after 30 days and MCP rate-limit windows
 * after an hour.
 * Safe to run from several processes at once.
 * @module
 */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { TOOL_CALL_RETENTION_MS } from '../store/mcp-tool-calls.js';

export const WEBHOOK_RETENTION_MS = 7 * 24 * 60 * 60_000;
export const PURGE_INTERVAL_MS = 10 * 60_000;

export interface PurgeCounts {
  linkTokens: number;
  linkFlows: number;
  oauthStates: number;
  webhookEvents: number;
  idempotencyKeys: number;
  mcpServers: number;
  mcpToolCalls: number;
  mcpRateWindows: number;
}

export async function purgeExpired(db: Kysely<DatabaseSchema>, now = new Date()): Promise<PurgeCounts> {
  const at = now.toISOString();
  const keepSince = new Date(now.getTime() - WEBHOOK_RETENTION_MS).toISOString();
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  const auditSince = new Date(now.getTime() - TOOL_CALL_RETENTION_MS).toISOString();
  const hourAgo = new Date(now.getTime() - 60 * 60_000).toISOString();
  const [
    linkTokens,
    linkFlows,
    oauthStates,
    webhookEvents,
    idempotencyKeys,
    mcpServers,
    mcpToolCalls,
    mcpRateWindows,
  ] = await Promise.all([
    db.deleteFrom('link_tokens').where('expires_at', '<', at).executeTakeFirst().then(count),
    db.deleteFrom('link_flows').where('expires_at', '<', at).executeTakeFirst().then(count),
    db.deleteFrom('oauth_states').where('expires_at', '<', at).executeTakeFirst().then(count),
    db
      .deleteFrom('webhook_events')
      .where((eb) => eb.or([eb('delivered_at', '<', keepSince), eb('failed_at', '<', keepSince)]))
      .executeTakeFirst()
      .then(count),
    db.deleteFrom('idempotency_keys').where('expires_at', '<', at).executeTakeFirst().then(count),
    // An expired MCP server already answers 404; its row is only clutter.
    db.deleteFrom('mcp_servers').where('expires_at', '<', at).executeTakeFirst().then(count),
    db.deleteFrom('mcp_tool_calls').where('created_at', '<', auditSince).executeTakeFirst().then(count),
    // Rate-limit windows matter for at most a window; an hour covers any sensible limit.
    db.deleteFrom('mcp_rate_windows').where('window_start', '<', hourAgo).executeTakeFirst().then(count),
  ]);
  return {
    linkTokens,
    linkFlows,
    oauthStates,
    webhookEvents,
    idempotencyKeys,
    mcpServers,
    mcpToolCalls,
    mcpRateWindows,
  };
}

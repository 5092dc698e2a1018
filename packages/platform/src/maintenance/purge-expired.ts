/**
 * Keeps the tables from growing without bound: removes link tokens, flow records, OAuth states
 * and idempotency keys once they expired, and webhook events a week after they were delivered
 * or given up.
 * Safe to run from several processes at once.
 * @module
 */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';

export const WEBHOOK_RETENTION_MS = 7 * 24 * 60 * 60_000;
export const PURGE_INTERVAL_MS = 10 * 60_000;

export interface PurgeCounts {
  linkTokens: number;
  linkFlows: number;
  oauthStates: number;
  webhookEvents: number;
  idempotencyKeys: number;
}

export async function purgeExpired(db: Kysely<DatabaseSchema>, now = new Date()): Promise<PurgeCounts> {
  const at = now.toISOString();
  const keepSince = new Date(now.getTime() - WEBHOOK_RETENTION_MS).toISOString();
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  const [linkTokens, linkFlows, oauthStates, webhookEvents, idempotencyKeys] = await Promise.all([
    db.deleteFrom('link_tokens').where('expires_at', '<', at).executeTakeFirst().then(count),
    db.deleteFrom('link_flows').where('expires_at', '<', at).executeTakeFirst().then(count),
    db.deleteFrom('oauth_states').where('expires_at', '<', at).executeTakeFirst().then(count),
    db
      .deleteFrom('webhook_events')
      .where((eb) => eb.or([eb('delivered_at', '<', keepSince), eb('failed_at', '<', keepSince)]))
      .executeTakeFirst()
      .then(count),
    db.deleteFrom('idempotency_keys').where('expires_at', '<', at).executeTakeFirst().then(count),
  ]);
  return { linkTokens, linkFlows, oauthStates, webhookEvents, idempotencyKeys };
}

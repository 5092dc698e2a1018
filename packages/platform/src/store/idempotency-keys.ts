/**
 * `Idempotency-Key` records, one per (tenant, key). The primary key makes the first request
 * the only one that runs, across processes; the others replay its answer, wait for it, or are
 * told the key was used for something else. An owner that died mid-request leaves a lease that
 * runs out, after which a retry may run the request again.
 * @module
 */
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';

/** How long a key and its answer are kept (Stripe's 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
/** How long a request may hold its key before another process may take it over. */
export const IDEMPOTENCY_LEASE_MS = 60_000;

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export type Claim =
  /** This request holds the key: run it, then {@link IdempotencyKeyStore.finish}. */
  | { kind: 'claimed' }
  /** The first request finished: answer what it answered. */
  | { kind: 'replay'; answer: StoredAnswer }
  /** The key was used for another operation or body. */
  | { kind: 'mismatch' }
  /** The first request is still running. */
  | { kind: 'in_flight' };

export class IdempotencyKeyStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async claim(tenantId: string, key: string, fingerprint: string, now = new Date()): Promise<Claim> {
    // Two rounds at most: the second after clearing a record that had expired.
    for (let round = 0; round < 2; round++) {
      const inserted = await this.db
        .insertInto('idempotency_keys')
        .values({
          tenant_id: tenantId,
          key,
          fingerprint,
          status: null,
          response: null,
          locked_until: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS).toISOString(),
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { kind: 'claimed' };

      const row = await this.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) continue; // released meanwhile: try to insert again
      if (row.expires_at <= now.toISOString()) {
        await this.db
          .deleteFrom('idempotency_keys')
          .where('tenant_id', '=', tenantId)
          .where('key', '=', key)
          .where('expires_at', '=', row.expires_at)
          .execute();
        continue;
      }
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.status !== null && row.response !== null) {
        return { kind: 'replay', answer: { status: row.status, body: JSON.parse(row.response) } };
      }
      if (row.locked_until !== null && row.locked_until <= now.toISOString()) {
        // The owner's lease ran out (its process died): take the key over, once.
        const taken = await this.db
          .updateTable('idempotency_keys')
          .set({ locked_until: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS).toISOString() })
          .where('tenant_id', '=', tenantId)
          .where('key', '=', key)
          .where('status', 'is', null)
          .where('locked_until', '=', row.locked_until)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 1) return { kind: 'claimed' };
      }
      return { kind: 'in_flight' };
    }
    return { kind: 'in_flight' };
  }

  /** Records the answer of the request that holds the key. */
  async finish(tenantId: string, key: string, answer: StoredAnswer): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status: answer.status, response: JSON.stringify(answer.body), locked_until: null })
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .where('status', 'is', null)
      .execute();
  }

  /** Gives the key up without an answer (the request failed on our side): a retry runs again. */
  async release(tenantId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .where('status', 'is', null)
      .execute();
  }
}

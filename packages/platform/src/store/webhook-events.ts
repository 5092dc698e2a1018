/**
 * The webhook outbox. Events are written in the transaction of the change they report, and
 * claimed by delivery workers with a lease: `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
 * processes never deliver the same attempt; the lease makes a crashed worker's claim lapse.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import { generateId } from '../crypto/tokens.js';
import type { DatabaseKind } from '../db/database.js';
import type { DatabaseSchema, WebhookEventsTable } from '../db/schema.js';

export type WebhookEventType =
  | 'integrated_account:created'
  | 'integrated_account:active'
  | 'integrated_account:post_install_error'
  | 'integrated_account:reauth_required'
  | 'integrated_account:deleted';

export interface NewWebhookEvent {
  tenantId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
}

export type WebhookEventRow = WebhookEventsTable;

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/** Writes events (inside the caller's transaction, when given one). */
export async function enqueueWebhookEvents(
  db: Db,
  events: readonly NewWebhookEvent[],
  now = new Date(),
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('webhook_events')
    .values(
      events.map((e) => ({
        id: generateId('evt'),
        tenant_id: e.tenantId,
        type: e.type,
        payload: JSON.stringify(e.data),
        created_at: now.toISOString(),
        attempts: 0,
        next_attempt_at: now.toISOString(),
        locked_until: null,
        delivered_at: null,
        failed_at: null,
        last_error: null,
      })),
    )
    .execute();
}

export class WebhookEventStore {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly kind: DatabaseKind,
  ) {}

  /** Claims up to `limit` due events for `leaseMs`; no other worker gets them meanwhile. */
  async claim(limit: number, leaseMs: number, now = new Date()): Promise<WebhookEventRow[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    return this.db.transaction().execute(async (trx) => {
      let due = trx
        .selectFrom('webhook_events')
        .select('id')
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('next_attempt_at', '<=', at)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
        .orderBy('next_attempt_at')
        .limit(limit);
      if (this.kind === 'postgres') due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return trx
        .updateTable('webhook_events')
        .set({ locked_until: until })
        .where('id', 'in', ids)
        .returningAll()
        .execute();
    });
  }

  async delivered(id: string, now = new Date()): Promise<void> {
    await this.db
      .updateTable('webhook_events')
      .set((eb) => ({
        delivered_at: now.toISOString(),
        locked_until: null,
        attempts: eb('attempts', '+', 1),
        last_error: null,
      }))
      .where('id', '=', id)
      .execute();
  }

  async failedAttempt(
    id: string,
    error: string,
    nextAttemptAt: Date | null,
    now = new Date(),
  ): Promise<void> {
    await this.db
      .updateTable('webhook_events')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        locked_until: null,
        last_error: error.slice(0, 500),
        ...(nextAttemptAt
          ? { next_attempt_at: nextAttemptAt.toISOString() }
          : { failed_at: now.toISOString() }),
      }))
      .where('id', '=', id)
      .execute();
  }

  async get(id: string): Promise<WebhookEventRow | undefined> {
    return this.db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(tenantId: string): Promise<WebhookEventRow[]> {
    return this.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .execute();
  }
}

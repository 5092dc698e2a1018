/**
 * The outbox claim on PostgreSQL: `FOR UPDATE SKIP LOCKED` lets a worker take the events another
 * worker is claiming right now neither twice nor by waiting for it. Another worker's claim is
 * held open on its own connection; the claim under test must come back while it is open (seen
 * in pg_stat_activity, not by timing) with none of its rows.
 */
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../src/platform.js';
import { enqueueWebhookEvents, WebhookEventStore } from '../src/store/webhook-events.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';

describe('webhook outbox claim on PostgreSQL', () => {
  let database: TestDatabase;
  let platform: Platform;
  let store: WebhookEventStore;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    platform = await createPlatform({
      database: database.url,
      secretKey: TEST_SECRET_KEY,
      logger: pino({ level: 'silent' }),
      webhooks: false,
    });
    store = new WebhookEventStore(platform.database.db, 'postgres');
    tenantId = (await platform.tenants.create({ name: 'Claims' })).tenant.id;
  });
  afterAll(async () => {
    await platform?.close();
    await database?.dispose();
  });
  beforeEach(async () => {
    await platform.database.db.deleteFrom('webhook_events').execute();
    await enqueueWebhookEvents(
      platform.database.db,
      Array.from({ length: 20 }, (_, i) => ({
        tenantId,
        type: 'integrated_account:created' as const,
        data: { n: i },
      })),
      new Date(Date.now() - 1_000),
    );
  });

  it('skips the rows another worker is claiming, without waiting for it', async () => {
    const other = new pg.Client({ connectionString: database.url });
    const observer = new pg.Client({ connectionString: database.url });
    await Promise.all([other.connect(), observer.connect()]);
    try {
      await other.query('BEGIN');
      const held = (
        await other.query<{ id: string }>(
          'SELECT id FROM webhook_events ORDER BY next_attempt_at LIMIT 5 FOR UPDATE SKIP LOCKED',
        )
      ).rows.map((r) => r.id);
      expect(held).toHaveLength(5);

      let settled = false;
      const claim = store.claim(20, 30_000).finally(() => {
        settled = true;
      });
      let waitedOnLock = false;
      while (!settled) {
        const { rows } = await observer.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (Number(rows[0]?.n) > 0) {
          waitedOnLock = true;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // Let a blocked claim go on, so the test ends either way.
      await other.query('COMMIT');
      const claimed = (await claim).map((e) => e.id);
      expect(waitedOnLock, 'the claim waited for the other worker’s lock').toBe(false);
      expect(claimed.filter((id) => held.includes(id))).toEqual([]);
      expect(claimed).toHaveLength(15);
    } finally {
      await other.end();
      await observer.end();
    }
  });

  it('two workers claiming at once never get the same event', async () => {
    const seen = new Map<string, number>();
    for (let round = 0; round < 5; round++) {
      const batches = await Promise.all([
        store.claim(4, 60_000),
        store.claim(4, 60_000),
        store.claim(4, 60_000),
      ]);
      for (const event of batches.flat()) seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
    }
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.size).toBe(20);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type PlatformDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { purgeExpired } from '../maintenance/purge-expired.js';
import { DatabaseRateLimitStore } from './rate-limit-store.js';

describe('DatabaseRateLimitStore', () => {
  let database: PlatformDatabase;
  beforeEach(async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database.db);
  });
  afterEach(async () => database.close());

  it('counts per key in fixed windows, shared by every store on the database', async () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 10);
    const a = new DatabaseRateLimitStore(database.db, () => now);
    const b = new DatabaseRateLimitStore(database.db, () => now);
    for (const s of [a, b]) s.init({ windowMs: 60_000 } as never);
    expect(await a.increment('srv1')).toEqual({
      totalHits: 1,
      resetTime: new Date(Date.UTC(2026, 0, 1, 12, 1)),
    });
    expect((await b.increment('srv1')).totalHits).toBe(2);
    expect((await b.increment('srv2')).totalHits).toBe(1);
    await a.decrement('srv1');
    expect((await a.increment('srv1')).totalHits).toBe(2);
    now += 60_000;
    expect((await b.increment('srv1')).totalHits).toBe(1);
    await a.resetKey('srv1');
    expect((await a.increment('srv1')).totalHits).toBe(1);
    // Housekeeping drops windows older than an hour.
    const counts = await purgeExpired(database.db, new Date(now + 2 * 60 * 60_000));
    expect(counts.mcpRateWindows).toBeGreaterThan(0);
    expect(await database.db.selectFrom('mcp_rate_windows').selectAll().execute()).toEqual([]);
  });
});

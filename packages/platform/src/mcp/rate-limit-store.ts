/**
 * An express-rate-limit store on the platform's database: fixed windows counted with one upsert
 * per request, so every process sharing the database enforces one limit per MCP server instead
 * of one limit each.
 * @module
 */
import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import { type Kysely, sql } from 'kysely';
import { prepareQuery } from '../db/prepared-query.js';
import type { DatabaseSchema } from '../db/schema.js';

export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix = 'mcp:';
  #windowMs = 60_000;

  /** The one statement of every request, compiled once (see `prepareQuery`). */
  readonly #count;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly now: () => number = Date.now,
  ) {
    this.#count = prepareQuery((arg: (name: 'key' | 'start') => never) =>
      this.db
        .insertInto('mcp_rate_windows')
        .values({ key: arg('key'), window_start: arg('start'), hits: 1 })
        .onConflict((oc) =>
          oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql<number>`mcp_rate_windows.hits + 1` }),
        )
        .returning('hits'),
    );
  }

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  #windowStart(): number {
    return Math.floor(this.now() / this.#windowMs) * this.#windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const start = this.#windowStart();
    const [row] = await this.#count.execute(this.db, {
      key: this.prefix + key,
      start: new Date(start).toISOString(),
    });
    if (!row) throw new Error('the rate-limit count returned no row');
    return { totalHits: Number(row.hits), resetTime: new Date(start + this.#windowMs) };
  }

  async decrement(key: string): Promise<void> {
    await this.db
      .updateTable('mcp_rate_windows')
      .set({ hits: sql<number>`hits - 1` })
      .where('key', '=', this.prefix + key)
      .where('window_start', '=', new Date(this.#windowStart()).toISOString())
      .execute();
  }

  async resetKey(key: string): Promise<void> {
    await this.db
      .deleteFrom('mcp_rate_windows')
      .where('key', '=', this.prefix + key)
      .execute();
  }
}

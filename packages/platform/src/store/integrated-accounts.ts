/**
 * Integrated accounts, with their sealed credentials and the page buckets that keep lists fast.
 *
 * Lists are in creation order (`seq`, per tenant). For each filter a list offers, a bucket row
 * counts the live accounts among every 512 consecutive `seq` values. A page is found by summing
 * bucket counts (a few hundred small rows at 100,000 accounts) and then seeking into one bucket,
 * so page 5,000 costs what page 1 does, and `total` needs no count over the table.
 * Every write that changes which lists an account is in updates its buckets in the same
 * transaction.
 * @module
 */
import type { Kysely, Transaction } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { DatabaseSchema, IntegratedAccountsTable } from '../db/schema.js';
import { enqueueWebhookEvents, type NewWebhookEvent } from './webhook-events.js';

export const PAGE_BUCKET_SIZE = 512;

export type AccountStatus = IntegratedAccountsTable['status'];
/** An account as the store hands it out: its JSON columns parsed. */
export type AccountRow = Omit<IntegratedAccountsTable, 'context' | 'metadata'> & {
  context: Record<string, unknown>;
  metadata: Record<string, unknown>;
};

/** The one place the JSON columns are read back. */
export function toAccountRow(raw: IntegratedAccountsTable): AccountRow {
  return {
    ...raw,
    context: JSON.parse(raw.context) as Record<string, unknown>,
    metadata: JSON.parse(raw.metadata) as Record<string, unknown>,
  };
}

export interface NewAccountRow {
  id: string;
  tenantId: string;
  integration: string;
  authFormat: string;
  name: string;
  status: AccountStatus;
  statusReason: string | null;
  externalId: string | null;
  context: Record<string, unknown>;
  metadata: Record<string, unknown>;
  sealedCredentials: string;
}

export interface AccountFilter {
  integration?: string | undefined;
  status?: AccountStatus | undefined;
}

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/** The bucket keys an account with these values counts in: one per filter combination. */
function filterKeysOf(integration: string, status: string): string[] {
  return ['*', `i:${integration}`, `s:${status}`, `i:${integration}|s:${status}`];
}

function filterKeyFor(filter: AccountFilter): string {
  if (filter.integration !== undefined && filter.status !== undefined) {
    return `i:${filter.integration}|s:${filter.status}`;
  }
  if (filter.integration !== undefined) return `i:${filter.integration}`;
  if (filter.status !== undefined) return `s:${filter.status}`;
  return '*';
}

async function adjustBuckets(
  db: Db,
  tenantId: string,
  keys: readonly string[],
  seq: number,
  delta: number,
): Promise<void> {
  const bucket = Math.floor(seq / PAGE_BUCKET_SIZE);
  await db
    .insertInto('account_page_buckets')
    .values(keys.map((filter_key) => ({ tenant_id: tenantId, filter_key, bucket, n: delta })))
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'filter_key', 'bucket'])
        .doUpdateSet((eb) => ({ n: eb('account_page_buckets.n', '+', eb.ref('excluded.n')) })),
    )
    .execute();
}

export class IntegratedAccountStore {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly kind: DatabaseKind,
  ) {}

  async insert(input: NewAccountRow, events: readonly NewWebhookEvent[] = []): Promise<AccountRow> {
    const now = new Date().toISOString();
    return this.db.transaction().execute(async (trx) => {
      // Also serialises account creation per tenant (a row lock on PostgreSQL).
      const { account_seq: seq } = await trx
        .updateTable('tenants')
        .set((eb) => ({ account_seq: eb('account_seq', '+', 1) }))
        .where('id', '=', input.tenantId)
        .returning('account_seq')
        .executeTakeFirstOrThrow();
      const row: IntegratedAccountsTable = {
        id: input.id,
        tenant_id: input.tenantId,
        seq,
        integration: input.integration,
        auth_format: input.authFormat,
        name: input.name,
        status: input.status,
        status_reason: input.statusReason,
        external_id: input.externalId,
        context: JSON.stringify(input.context),
        metadata: JSON.stringify(input.metadata),
        credentials: input.sealedCredentials,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('integrated_accounts').values(row).execute();
      await adjustBuckets(trx, input.tenantId, filterKeysOf(row.integration, row.status), seq, 1);
      await enqueueWebhookEvents(trx, events);
      return { ...row, context: { ...input.context }, metadata: { ...input.metadata } };
    });
  }

  async get(tenantId: string, id: string): Promise<AccountRow | undefined> {
    const raw = await this.db
      .selectFrom('integrated_accounts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return raw && toAccountRow(raw);
  }

  /** Sets status, reason and context, moving the account between status buckets. */
  async updateState(
    tenantId: string,
    id: string,
    state: {
      status: AccountStatus;
      statusReason: string | null;
      context: Record<string, unknown>;
      /** New credentials (a reconnect), sealed, with the auth method they are for. */
      credentials?: { sealed: string; authFormat: string };
    },
    events: readonly NewWebhookEvent[] = [],
  ): Promise<AccountRow | undefined> {
    return this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('integrated_accounts')
        .select(['seq', 'status', 'integration'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id);
      // SQLite transactions are already exclusive within the process.
      if (this.kind === 'postgres') query = query.forUpdate();
      const before = await query.executeTakeFirst();
      if (!before) return undefined;
      const updated = await trx
        .updateTable('integrated_accounts')
        .set({
          status: state.status,
          status_reason: state.statusReason,
          context: JSON.stringify(state.context),
          updated_at: new Date().toISOString(),
          ...(state.credentials
            ? { credentials: state.credentials.sealed, auth_format: state.credentials.authFormat }
            : {}),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (before.status !== state.status) {
        const { integration, seq } = before;
        await adjustBuckets(
          trx,
          tenantId,
          [`s:${before.status}`, `i:${integration}|s:${before.status}`],
          seq,
          -1,
        );
        await adjustBuckets(
          trx,
          tenantId,
          [`s:${state.status}`, `i:${integration}|s:${state.status}`],
          seq,
          1,
        );
      }
      await enqueueWebhookEvents(trx, events);
      return toAccountRow(updated);
    });
  }

  /** Deletes the account with its MCP servers and link tokens; false when there was none. */
  async delete(tenantId: string, id: string, events: readonly NewWebhookEvent[] = []): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('integrated_accounts')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returning(['seq', 'status', 'integration'])
        .executeTakeFirst();
      if (!deleted) return false;
      await trx.deleteFrom('mcp_servers').where('integrated_account_id', '=', id).execute();
      await trx.deleteFrom('link_tokens').where('integrated_account_id', '=', id).execute();
      await adjustBuckets(trx, tenantId, filterKeysOf(deleted.integration, deleted.status), deleted.seq, -1);
      await enqueueWebhookEvents(trx, events);
      return true;
    });
  }

  async list(
    tenantId: string,
    filter: AccountFilter,
    page: { page: number; limit: number },
  ): Promise<{ rows: AccountRow[]; total: number }> {
    return this.db.transaction().execute(async (trx) => {
      const buckets = await trx
        .selectFrom('account_page_buckets')
        .select(['bucket', 'n'])
        .where('tenant_id', '=', tenantId)
        .where('filter_key', '=', filterKeyFor(filter))
        .where('n', '>', 0)
        .orderBy('bucket')
        .execute();
      const total = buckets.reduce((sum, b) => sum + b.n, 0);
      const offset = (page.page - 1) * page.limit;
      if (offset >= total) return { rows: [], total };

      let before = 0;
      let startBucket = 0;
      for (const b of buckets) {
        if (before + b.n > offset) {
          startBucket = b.bucket;
          break;
        }
        before += b.n;
      }
      let query = trx
        .selectFrom('integrated_accounts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('seq', '>=', startBucket * PAGE_BUCKET_SIZE);
      if (filter.integration !== undefined) query = query.where('integration', '=', filter.integration);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      const rows = await query
        .orderBy('seq')
        .limit(page.limit)
        .offset(offset - before)
        .execute();
      return { rows: rows.map(toAccountRow), total };
    });
  }

  /**
   * Runs `fn` with the account's row while no other process can change it: a transaction with
   * `FOR UPDATE` on PostgreSQL (held across `fn`). On SQLite, one process per file, callers
   * serialise in memory instead of holding SQLite's single connection across a network call.
   */
  async withLockedRow<T>(
    tenantId: string,
    id: string,
    fn: (row: AccountRow | undefined, db: Kysely<DatabaseSchema> | Transaction<DatabaseSchema>) => Promise<T>,
  ): Promise<T> {
    if (this.kind !== 'postgres') return fn(await this.get(tenantId, id), this.db);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('integrated_accounts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      return fn(row && toAccountRow(row), trx);
    });
  }

  /** Replaces an account's sealed credentials (a token refresh), in the caller's transaction. */
  async saveCredentials(
    db: Kysely<DatabaseSchema> | Transaction<DatabaseSchema>,
    tenantId: string,
    id: string,
    sealed: string,
  ): Promise<void> {
    await db
      .updateTable('integrated_accounts')
      .set({ credentials: sealed, updated_at: new Date().toISOString() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** The sealed credentials of an account (for provider calls), or undefined. */
  async sealedCredentials(tenantId: string, id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('integrated_accounts')
      .select('credentials')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.credentials ?? undefined;
  }
}

/**
 * The status channel's records: where each connect flow stands, keyed by the hash of a secret
 * only the widget holds (the secret itself never reaches the server's storage, a URL or a window
 * name). A record belongs to the link token that created it: another token, even of the same
 * tenant, cannot overwrite or reset it. One link token holds a bounded number of records.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseSchema, LinkFlowsTable } from '../db/schema.js';

export type FlowState = LinkFlowsTable['state'];

/** Records one link token may hold (each widget open() with the same token makes one). */
export const MAX_FLOWS_PER_LINK_TOKEN = 20;

/** The status secret's shape: 32 random bytes, base64url. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** The hash's shape, as the widget puts it in the flow URL. */
export const STATUS_HASH_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The key a secret's record is stored under; undefined for a value that is not a secret. */
export function statusHashOf(secret: unknown): string | undefined {
  if (typeof secret !== 'string' || !SECRET_PATTERN.test(secret)) return undefined;
  return createHash('sha256').update(secret).digest('base64url');
}

export interface FlowOwner {
  tenantId: string;
  linkTokenHash: string;
}

/** `recorded`; `taken` when the hash belongs to another link token; `full` at the cap. */
export type RecordResult = 'recorded' | 'taken' | 'full';

export class LinkFlowStore {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly maxPerLinkToken = MAX_FLOWS_PER_LINK_TOKEN,
  ) {}

  async record(
    statusHash: string,
    owner: FlowOwner,
    state: FlowState,
    outcome: Record<string, unknown> | null,
    expiresAt: Date,
  ): Promise<RecordResult> {
    const now = new Date().toISOString();
    const serialized = outcome ? JSON.stringify(outcome) : null;
    const updated = await this.db
      .updateTable('link_flows')
      .set({ state, outcome: serialized, updated_at: now, expires_at: expiresAt.toISOString() })
      .where('status_hash', '=', statusHash)
      .where('link_token_hash', '=', owner.linkTokenHash)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return 'recorded';
    const { held } = await this.db
      .selectFrom('link_flows')
      .select((eb) => eb.fn.countAll<string | number>().as('held'))
      .where('link_token_hash', '=', owner.linkTokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    // Under concurrent first records of one token the cap can be passed by those few; no more.
    if (Number(held) >= this.maxPerLinkToken) return 'full';
    const inserted = await this.db
      .insertInto('link_flows')
      .values({
        status_hash: statusHash,
        link_token_hash: owner.linkTokenHash,
        tenant_id: owner.tenantId,
        state,
        outcome: serialized,
        updated_at: now,
        expires_at: expiresAt.toISOString(),
      })
      .onConflict((oc) => oc.column('status_hash').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 ? 'recorded' : 'taken';
  }

  /** The record of the holder of `secret`, while it has not expired. */
  async read(
    secret: unknown,
    now = new Date(),
  ): Promise<{ tenantId: string; state: FlowState; outcome: Record<string, unknown> | null } | undefined> {
    const statusHash = statusHashOf(secret);
    if (!statusHash) return undefined;
    const row = await this.db
      .selectFrom('link_flows')
      .selectAll()
      .where('status_hash', '=', statusHash)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      tenantId: row.tenant_id,
      state: row.state,
      outcome: row.outcome ? (JSON.parse(row.outcome) as Record<string, unknown>) : null,
    };
  }
}

/**
 * Link tokens: short-lived, single-use, bound to one tenant, integration and externalId.
 * Only the token's hash is stored; consuming is one conditional UPDATE, so a token is used
 * once even when several processes race for it.
 * @module
 */
import type { Kysely } from 'kysely';
import { generateSecret, hashSecret, TOKEN_PREFIXES } from '../crypto/tokens.js';
import type { DatabaseSchema, LinkTokensTable } from '../db/schema.js';

/** A link token as the store hands it out: its JSON columns parsed. */
export type LinkTokenRow = Omit<LinkTokensTable, 'scopes' | 'metadata'> & {
  scopes: string[] | null;
  metadata: Record<string, unknown>;
};

function toLinkTokenRow(raw: LinkTokensTable): LinkTokenRow {
  return {
    ...raw,
    scopes: raw.scopes === null ? null : (JSON.parse(raw.scopes) as string[]),
    metadata: JSON.parse(raw.metadata) as Record<string, unknown>,
  };
}

export interface NewLinkToken {
  tenantId: string;
  integration: string;
  externalId: string | null;
  redirectUri: string | null;
  scopes: string[] | null;
  metadata: Record<string, unknown>;
  integratedAccountId: string | null;
  expiresAt: Date;
}

/** Most rows written in one group commit. */
export const MAX_INSERT_BATCH = 100;

interface PendingInsert {
  row: LinkTokensTable;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class LinkTokenStore {
  /**
   * Minting is the hot path of the Admin API. Tokens minted in the same turn of the event loop
   * are written together in one multi-row INSERT (one commit on SQLite, one round trip on
   * PostgreSQL); each caller is answered only once its row is committed.
   */
  #pending: PendingInsert[] = [];
  #flushScheduled = false;

  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  #insert(row: LinkTokensTable): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ row, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#pending.splice(0, MAX_INSERT_BATCH);
    if (this.#pending.length > 0) setImmediate(() => void this.#flush());
    else this.#flushScheduled = false;
    try {
      await this.db
        .insertInto('link_tokens')
        .values(batch.map((p) => p.row))
        .execute();
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad row must not fail the others: write them one by one.
      await Promise.all(
        batch.map((p) => this.db.insertInto('link_tokens').values(p.row).execute().then(p.resolve, p.reject)),
      );
    }
  }

  async create(input: NewLinkToken): Promise<{ token: string; row: LinkTokenRow }> {
    const token = generateSecret(TOKEN_PREFIXES.linkToken);
    const row: LinkTokensTable = {
      tenant_id: input.tenantId,
      token_hash: hashSecret(token),
      integration: input.integration,
      external_id: input.externalId,
      redirect_uri: input.redirectUri,
      scopes: input.scopes ? JSON.stringify(input.scopes) : null,
      metadata: JSON.stringify(input.metadata),
      integrated_account_id: input.integratedAccountId,
      expires_at: input.expiresAt.toISOString(),
      consumed_at: null,
      created_at: new Date().toISOString(),
    };
    await this.#insert(row);
    return { token, row: { ...row, scopes: input.scopes, metadata: input.metadata } };
  }

  /** A token that is neither used nor expired, without using it. */
  async findUsable(token: string, now = new Date()): Promise<LinkTokenRow | undefined> {
    const raw = await this.db
      .selectFrom('link_tokens')
      .selectAll()
      .where('token_hash', '=', hashSecret(token))
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    return raw && toLinkTokenRow(raw);
  }

  /** Uses the token: returns its row the first time, undefined when used, expired or unknown. */
  async consume(token: string, now = new Date()): Promise<LinkTokenRow | undefined> {
    const raw = await this.db
      .updateTable('link_tokens')
      .set({ consumed_at: now.toISOString() })
      .where('token_hash', '=', hashSecret(token))
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returningAll()
      .executeTakeFirst();
    return raw && toLinkTokenRow(raw);
  }
}

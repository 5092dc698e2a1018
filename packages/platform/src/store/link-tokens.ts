/**
 * Link tokens: short-lived, single-use, bound to one tenant, integration and externalId.
 * Only the token's hash is stored; consuming is one conditional UPDATE, so a token is used
 * once even when several processes race for it.
 * @module
 */
import type { Kysely } from 'kysely';
import { generateId, generateSecret, hashSecret, TOKEN_PREFIXES } from '../crypto/tokens.js';
import type { DatabaseSchema, LinkTokensTable } from '../db/schema.js';

export type LinkTokenRow = LinkTokensTable;

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

export class LinkTokenStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async create(input: NewLinkToken): Promise<{ token: string; row: LinkTokenRow }> {
    const token = generateSecret(TOKEN_PREFIXES.linkToken);
    const row: LinkTokenRow = {
      id: generateId('lt'),
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
    await this.db.insertInto('link_tokens').values(row).execute();
    return { token, row };
  }

  /** A token that is neither used nor expired, without using it. */
  async findUsable(token: string, now = new Date()): Promise<LinkTokenRow | undefined> {
    return this.db
      .selectFrom('link_tokens')
      .selectAll()
      .where('token_hash', '=', hashSecret(token))
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
  }

  /** Uses the token: returns its row the first time, undefined when used, expired or unknown. */
  async consume(token: string, now = new Date()): Promise<LinkTokenRow | undefined> {
    return this.db
      .updateTable('link_tokens')
      .set({ consumed_at: now.toISOString() })
      .where('token_hash', '=', hashSecret(token))
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returningAll()
      .executeTakeFirst();
  }

  /** Removes tokens that expired before `before`; returns how many. */
  async deleteExpired(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('link_tokens')
      .where('expires_at', '<', before.toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

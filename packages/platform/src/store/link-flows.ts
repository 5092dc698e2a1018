/**
 * The status channel's records: where each connect flow stands, keyed by the widget's nonce.
 * A nonce belongs to the first tenant that records it; another tenant cannot overwrite it.
 * @module
 */
import type { Kysely } from 'kysely';
import type { DatabaseSchema, LinkFlowsTable } from '../db/schema.js';

export type FlowState = LinkFlowsTable['state'];

export class LinkFlowStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async record(
    nonce: string,
    tenantId: string,
    state: FlowState,
    outcome: Record<string, unknown> | null,
    expiresAt: Date,
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.db
      .insertInto('link_flows')
      .values({
        nonce,
        tenant_id: tenantId,
        state,
        outcome: outcome ? JSON.stringify(outcome) : null,
        updated_at: now,
        expires_at: expiresAt.toISOString(),
      })
      .onConflict((oc) =>
        oc
          .column('nonce')
          .doUpdateSet({ state, outcome: outcome ? JSON.stringify(outcome) : null, updated_at: now })
          .where('link_flows.tenant_id', '=', tenantId),
      )
      .execute();
  }

  async get(
    nonce: string,
    now = new Date(),
  ): Promise<{ tenantId: string; state: FlowState; outcome: Record<string, unknown> | null } | undefined> {
    const row = await this.db
      .selectFrom('link_flows')
      .selectAll()
      .where('nonce', '=', nonce)
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

import type { Kysely } from 'kysely';

/**
 * The status channel's records are keyed by the hash of a secret only the widget holds (no
 * longer by the nonce a provider page could read), and bound to the link token that opened
 * them. The records live 30 minutes: the old table is dropped, not converted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('link_flows').execute();
  await db.schema
    .createTable('link_flows')
    .addColumn('status_hash', 'text', (c) => c.primaryKey())
    .addColumn('link_token_hash', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('link_flows_expires_at').on('link_flows').column('expires_at').execute();
  await db.schema
    .createIndex('link_flows_link_token_hash')
    .on('link_flows')
    .column('link_token_hash')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('link_flows').execute();
  await db.schema
    .createTable('link_flows')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('link_flows_expires_at').on('link_flows').column('expires_at').execute();
}

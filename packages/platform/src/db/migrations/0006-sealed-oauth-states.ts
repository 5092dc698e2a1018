import type { Kysely } from 'kysely';

/**
 * OAuth states carried the flow (the raw link token among it) as plain JSON. States live for
 * 15 minutes, so the table is recreated empty with the flow sealed (`sealed_flow`): an OAuth
 * sign-in that was in flight during the upgrade has to start again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_states').execute();
  await db.schema
    .createTable('oauth_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('link_token_hash', 'text', (c) => c.notNull())
    .addColumn('sealed_flow', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_states').execute();
  await db.schema
    .createTable('oauth_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('link_token_hash', 'text', (c) => c.notNull())
    .addColumn('flow', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

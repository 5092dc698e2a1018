import type { Kysely } from 'kysely';

// Migrations take Kysely<unknown>: they must not depend on today's row types.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('api_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('allowed_origins', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('webhook_url', 'text')
    .addColumn('account_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('integrated_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('integration', 'text', (c) => c.notNull())
    .addColumn('auth_format', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('external_id', 'text')
    .addColumn('context', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('credentials', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('integrated_accounts_tenant_seq', ['tenant_id', 'seq'])
    .execute();
  // One index per filter combination the list offers, each ending in the order key.
  await db.schema
    .createIndex('integrated_accounts_tenant_integration_seq')
    .on('integrated_accounts')
    .columns(['tenant_id', 'integration', 'seq'])
    .execute();
  await db.schema
    .createIndex('integrated_accounts_tenant_status_seq')
    .on('integrated_accounts')
    .columns(['tenant_id', 'status', 'seq'])
    .execute();
  await db.schema
    .createIndex('integrated_accounts_tenant_integration_status_seq')
    .on('integrated_accounts')
    .columns(['tenant_id', 'integration', 'status', 'seq'])
    .execute();

  await db.schema
    .createTable('account_page_buckets')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('filter_key', 'text', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_page_buckets_pk', ['tenant_id', 'filter_key', 'bucket'])
    .execute();

  await db.schema
    .createTable('link_tokens')
    // The hash is the key: link tokens are only ever found by it, and one index fewer keeps
    // minting cheap.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('integration', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('redirect_uri', 'text')
    .addColumn('scopes', 'text')
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('integrated_account_id', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('consumed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('link_tokens_integrated_account')
    .on('link_tokens')
    .column('integrated_account_id')
    // Only reconnect tokens name an account.
    .where('integrated_account_id', 'is not', null)
    .execute();
  await db.schema.createIndex('link_tokens_expires_at').on('link_tokens').column('expires_at').execute();

  await db.schema
    .createTable('mcp_servers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('integrated_account_id', 'text', (c) =>
      c.notNull().references('integrated_accounts.id').onDelete('cascade'),
    )
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('allowed_methods', 'text')
    .addColumn('require_additional_auth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transport', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mcp_servers_integrated_account')
    .on('mcp_servers')
    .column('integrated_account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'mcp_servers',
    'link_tokens',
    'account_page_buckets',
    'integrated_accounts',
    'tenants',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

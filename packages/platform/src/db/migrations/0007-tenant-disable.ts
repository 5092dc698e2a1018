import type { Kysely } from 'kysely';

/** `tenants disable`: a tenant whose `disabled_at` is set has no working API token. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('disabled_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('disabled_at').execute();
}

/**
 * Applies the schema migrations (one set for SQLite and PostgreSQL). Safe to run from several
 * processes at once: Kysely's migrator takes a lock on PostgreSQL.
 * @module
 */
import { type Kysely, type Migration, Migrator } from 'kysely';
import { MigrationError } from '../errors.js';
import * as initial from './migrations/0001-initial.js';
import * as signingKeys from './migrations/0002-signing-keys.js';
import * as linkFlows from './migrations/0003-link-flows.js';
import * as webhookOutbox from './migrations/0004-webhook-outbox.js';
import * as linkFlowSecrets from './migrations/0005-link-flow-secrets.js';
import * as sealedOAuthStates from './migrations/0006-sealed-oauth-states.js';
import * as tenantDisable from './migrations/0007-tenant-disable.js';
import * as idempotencyKeys from './migrations/0008-idempotency-keys.js';
import * as mcpServing from './migrations/0009-mcp-serving.js';
import type { DatabaseSchema } from './schema.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-signing-keys': signingKeys,
  '0003-link-flows': linkFlows,
  '0004-webhook-outbox': webhookOutbox,
  '0005-link-flow-secrets': linkFlowSecrets,
  '0006-sealed-oauth-states': sealedOAuthStates,
  '0007-tenant-disable': tenantDisable,
  '0008-idempotency-keys': idempotencyKeys,
  '0009-mcp-serving': mcpServing,
};

export { MigrationError };

/** Applies pending migrations; returns the names applied by this call. */
export async function migrateToLatest(db: Kysely<DatabaseSchema>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`schema migration failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

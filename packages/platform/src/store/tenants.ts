/**
 * Tenants and their Admin API tokens. A token is shown once, when the tenant is created;
 * only its SHA-256 hash is stored.
 * @module
 */
import type { Kysely } from 'kysely';
import { generateId, generateSecret, hashesEqual, hashSecret, TOKEN_PREFIXES } from '../crypto/tokens.js';
import type { DatabaseSchema } from '../db/schema.js';

export interface Tenant {
  id: string;
  name: string;
  allowedOrigins: string[];
  webhookUrl: string | null;
  createdAt: string;
}

export interface NewTenant {
  name: string;
  allowedOrigins?: readonly string[];
  webhookUrl?: string | null;
  /** Use this API token instead of a generated one (the demo's `DEMO_API_TOKEN`). */
  apiToken?: string;
}

type TenantRow = DatabaseSchema['tenants'];

function toTenant(
  row: Pick<TenantRow, 'id' | 'name' | 'allowed_origins' | 'webhook_url' | 'created_at'>,
): Tenant {
  return {
    id: row.id,
    name: row.name,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    webhookUrl: row.webhook_url,
    createdAt: row.created_at,
  };
}

export class TenantStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async create(input: NewTenant): Promise<{ tenant: Tenant; apiToken: string }> {
    const apiToken = input.apiToken ?? generateSecret(TOKEN_PREFIXES.apiToken);
    const row = {
      id: generateId('ten'),
      name: input.name,
      api_token_hash: hashSecret(apiToken),
      allowed_origins: JSON.stringify(input.allowedOrigins ?? []),
      webhook_url: input.webhookUrl ?? null,
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('tenants').values(row).execute();
    return { tenant: toTenant(row), apiToken };
  }

  /** The tenant whose API token this is, or undefined. */
  async findByApiToken(apiToken: string): Promise<Tenant | undefined> {
    const hash = hashSecret(apiToken);
    const row = await this.db
      .selectFrom('tenants')
      .select(['id', 'name', 'allowed_origins', 'webhook_url', 'created_at', 'api_token_hash'])
      .where('api_token_hash', '=', hash)
      .executeTakeFirst();
    // The lookup is by hash; compare again in constant time so no path depends on timing.
    if (!row || !hashesEqual(row.api_token_hash, hash)) return undefined;
    return toTenant(row);
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTenant(row) : undefined;
  }
}

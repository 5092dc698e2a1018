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

/** How long a successful API-token lookup is reused (tokens cannot be changed yet). */
export const TENANT_CACHE_TTL_MS = 10_000;
const TENANT_CACHE_SIZE = 10_000;

export class TenantStore {
  /** token hash -> tenant; positive answers only, so a wrong token always reaches the database. */
  readonly #cache = new Map<string, { tenant: Tenant; until: number }>();

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly now: () => number = Date.now,
  ) {}

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
    const cached = this.#cache.get(hash);
    if (cached && cached.until > this.now()) return cached.tenant;
    this.#cache.delete(hash);
    const row = await this.db
      .selectFrom('tenants')
      .select(['id', 'name', 'allowed_origins', 'webhook_url', 'created_at', 'api_token_hash'])
      .where('api_token_hash', '=', hash)
      .executeTakeFirst();
    // The lookup is by hash; compare again in constant time so no path depends on timing.
    if (!row || !hashesEqual(row.api_token_hash, hash)) return undefined;
    const tenant = toTenant(row);
    if (this.#cache.size >= TENANT_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(hash, { tenant, until: this.now() + TENANT_CACHE_TTL_MS });
    return tenant;
  }

  /**
   * Gives the tenant a new API token (generated unless given); the old one stops working at
   * once in this process and within the cache lifetime in others.
   */
  async replaceApiToken(id: string, apiToken = generateSecret(TOKEN_PREFIXES.apiToken)): Promise<string> {
    await this.db
      .updateTable('tenants')
      .set({ api_token_hash: hashSecret(apiToken) })
      .where('id', '=', id)
      .execute();
    for (const [hash, entry] of this.#cache) if (entry.tenant.id === id) this.#cache.delete(hash);
    return apiToken;
  }

  async findByName(name: string): Promise<Tenant | undefined> {
    const row = await this.db
      .selectFrom('tenants')
      .selectAll()
      .where('name', '=', name)
      .orderBy('created_at')
      .executeTakeFirst();
    return row ? toTenant(row) : undefined;
  }

  async get(id: string): Promise<Tenant | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTenant(row) : undefined;
  }
}

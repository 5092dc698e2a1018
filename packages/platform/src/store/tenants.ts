/**
 * Tenants and their Admin API tokens. A token is shown once, when it is created or rotated;
 * only its SHA-256 hash is stored. A token can be rotated or turned off; every process stops
 * accepting the old one within {@link TENANT_CACHE_TTL_MS}.
 * @module
 */
import type { Kysely } from 'kysely';
import { generateId, generateSecret, hashesEqual, hashSecret, TOKEN_PREFIXES } from '../crypto/tokens.js';
import type { DatabaseSchema } from '../db/schema.js';
import { ConfigError, NotFoundError } from '../errors.js';

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

export function toTenant(
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

/**
 * How long a successful API-token lookup is reused. Rotation and disabling are promised to take
 * effect everywhere within 2 s; one indexed read per token per second keeps the hot path at
 * memory speed while honouring that.
 */
export const TENANT_CACHE_TTL_MS = 1_000;

/** The shortest API token accepted from an operator (`--api-token`, `DEMO_API_TOKEN`). */
export const MIN_API_TOKEN_LENGTH = 32;

function checkApiToken(apiToken: string): string {
  if (typeof apiToken !== 'string' || apiToken.length < MIN_API_TOKEN_LENGTH || /\s/.test(apiToken)) {
    throw new ConfigError(
      `an API token must be at least ${MIN_API_TOKEN_LENGTH} characters without whitespace; omit it to have one generated`,
    );
  }
  return apiToken;
}
const TENANT_CACHE_SIZE = 10_000;

export class TenantStore {
  /** token hash -> tenant; positive answers only, so a wrong token always reaches the database. */
  readonly #cache = new Map<string, { tenant: Tenant; until: number }>();

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: NewTenant): Promise<{ tenant: Tenant; apiToken: string }> {
    const apiToken =
      input.apiToken === undefined ? generateSecret(TOKEN_PREFIXES.apiToken) : checkApiToken(input.apiToken);
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
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    // The lookup is by hash; compare again in constant time so no path depends on timing.
    if (!row || !hashesEqual(row.api_token_hash, hash)) return undefined;
    const tenant = toTenant(row);
    if (this.#cache.size >= TENANT_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(hash, { tenant, until: this.now() + TENANT_CACHE_TTL_MS });
    return tenant;
  }

  /**
   * Gives the tenant a new API token (generated unless given) and turns it on again if it was
   * disabled; the old token stops working at once in this process and within the cache
   * lifetime in others.
   * @throws NotFoundError when there is no such tenant.
   */
  async replaceApiToken(id: string, apiToken?: string): Promise<string> {
    const next = apiToken === undefined ? generateSecret(TOKEN_PREFIXES.apiToken) : checkApiToken(apiToken);
    const result = await this.db
      .updateTable('tenants')
      .set({ api_token_hash: hashSecret(next), disabled_at: null })
      .where('id', '=', id)
      .executeTakeFirst();
    this.#forget(id);
    if (result.numUpdatedRows === 0n) throw new NotFoundError(`tenant "${id}" was not found`);
    return next;
  }

  /**
   * Turns the tenant's API token off (`rotate-token` issues a working one again); effective at
   * once in this process and within the cache lifetime in others.
   * @throws NotFoundError when there is no such tenant.
   */
  async disable(id: string, now = new Date()): Promise<void> {
    const result = await this.db
      .updateTable('tenants')
      .set({ disabled_at: now.toISOString() })
      .where('id', '=', id)
      .executeTakeFirst();
    this.#forget(id);
    if (result.numUpdatedRows === 0n) throw new NotFoundError(`tenant "${id}" was not found`);
  }

  #forget(id: string): void {
    for (const [hash, entry] of this.#cache) if (entry.tenant.id === id) this.#cache.delete(hash);
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

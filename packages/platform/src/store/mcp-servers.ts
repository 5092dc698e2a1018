/**
 * MCP server records: a secret URL per server, stored only as a hash.
 * @module
 */
import type { Kysely } from 'kysely';
import { generateId, generateSecret, hashSecret, TOKEN_PREFIXES } from '../crypto/tokens.js';
import { prepareQuery } from '../db/prepared-query.js';
import type { DatabaseSchema, McpServersTable } from '../db/schema.js';
import { type AccountRow, toAccountRow } from './integrated-accounts.js';
import { type Tenant, toTenant } from './tenants.js';

/** A server record as the store hands it out: the method list parsed, the flag a boolean. */
export type McpServerRow = Omit<McpServersTable, 'allowed_methods' | 'require_additional_auth'> & {
  allowed_methods: string[] | null;
  require_additional_auth: boolean;
};

function toMcpServerRow(raw: McpServersTable): McpServerRow {
  return {
    ...raw,
    allowed_methods: raw.allowed_methods === null ? null : (JSON.parse(raw.allowed_methods) as string[]),
    require_additional_auth: raw.require_additional_auth === 1,
  };
}

export interface NewMcpServer {
  tenantId: string;
  integratedAccountId: string;
  allowedMethods: string[] | null;
  requireAdditionalAuth: boolean;
  transport: 'http' | 'stdio';
  /** ISO time after which the URL answers 404; undefined: never. */
  expiresAt?: string | undefined;
}

export class McpServerStore {
  /** The lookup of every MCP request, compiled once (see `prepareQuery`). */
  readonly #served;

  constructor(private readonly db: Kysely<DatabaseSchema>) {
    this.#served = prepareQuery((arg: (name: 'hash' | 'now') => never) =>
      this.db
        .selectFrom('mcp_servers as s')
        .innerJoin('tenants as t', 't.id', 's.tenant_id')
        .innerJoin('integrated_accounts as a', (join) =>
          join.onRef('a.tenant_id', '=', 's.tenant_id').onRef('a.id', '=', 's.integrated_account_id'),
        )
        .select([
          's.id as s_id',
          's.tenant_id as s_tenant_id',
          's.integrated_account_id as s_integrated_account_id',
          's.secret_hash as s_secret_hash',
          's.allowed_methods as s_allowed_methods',
          's.require_additional_auth as s_require_additional_auth',
          's.transport as s_transport',
          's.created_at as s_created_at',
          's.expires_at as s_expires_at',
          't.name as t_name',
          't.allowed_origins as t_allowed_origins',
          't.webhook_url as t_webhook_url',
          't.created_at as t_created_at',
          'a.seq as a_seq',
          'a.integration as a_integration',
          'a.auth_format as a_auth_format',
          'a.name as a_name',
          'a.status as a_status',
          'a.status_reason as a_status_reason',
          'a.external_id as a_external_id',
          'a.context as a_context',
          'a.metadata as a_metadata',
          'a.credentials as a_credentials',
          'a.created_at as a_created_at',
          'a.updated_at as a_updated_at',
        ])
        .where('s.secret_hash', '=', arg('hash'))
        .where((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', arg('now'))])),
    );
  }

  async create(input: NewMcpServer): Promise<{ secret: string; row: McpServerRow }> {
    const secret = generateSecret(TOKEN_PREFIXES.mcpSecret);
    const row: McpServersTable = {
      id: generateId('mcp'),
      tenant_id: input.tenantId,
      integrated_account_id: input.integratedAccountId,
      secret_hash: hashSecret(secret),
      allowed_methods: input.allowedMethods ? JSON.stringify(input.allowedMethods) : null,
      require_additional_auth: input.requireAdditionalAuth ? 1 : 0,
      transport: input.transport,
      created_at: new Date().toISOString(),
      expires_at: input.expiresAt ?? null,
    };
    await this.db.insertInto('mcp_servers').values(row).execute();
    return { secret, row: toMcpServerRow(row) };
  }

  /** The server a secret opens, unless it was revoked or has expired. */
  async findBySecret(secret: string, now = new Date()): Promise<McpServerRow | undefined> {
    const raw = await this.db
      .selectFrom('mcp_servers')
      .selectAll()
      .where('secret_hash', '=', hashSecret(secret))
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
      .executeTakeFirst();
    return raw && toMcpServerRow(raw);
  }

  /**
   * What one MCP request needs, in one query: the server a secret opens (unless revoked or
   * expired), its tenant and its account. Undefined when any of the three is gone.
   */
  async findServedBySecret(
    secret: string,
    now = new Date(),
  ): Promise<{ record: McpServerRow; tenant: Tenant; account: AccountRow } | undefined> {
    const [raw] = await this.#served.execute(this.db, {
      hash: hashSecret(secret),
      now: now.toISOString(),
    });
    if (!raw) return undefined;
    return {
      record: toMcpServerRow({
        id: raw.s_id,
        tenant_id: raw.s_tenant_id,
        integrated_account_id: raw.s_integrated_account_id,
        secret_hash: raw.s_secret_hash,
        allowed_methods: raw.s_allowed_methods,
        require_additional_auth: raw.s_require_additional_auth,
        transport: raw.s_transport,
        created_at: raw.s_created_at,
        expires_at: raw.s_expires_at,
      }),
      tenant: toTenant({
        id: raw.s_tenant_id,
        name: raw.t_name,
        allowed_origins: raw.t_allowed_origins,
        webhook_url: raw.t_webhook_url,
        created_at: raw.t_created_at,
      }),
      account: toAccountRow({
        id: raw.s_integrated_account_id,
        tenant_id: raw.s_tenant_id,
        seq: raw.a_seq,
        integration: raw.a_integration,
        auth_format: raw.a_auth_format,
        name: raw.a_name,
        status: raw.a_status,
        status_reason: raw.a_status_reason,
        external_id: raw.a_external_id,
        context: raw.a_context,
        metadata: raw.a_metadata,
        credentials: raw.a_credentials,
        created_at: raw.a_created_at,
        updated_at: raw.a_updated_at,
      }),
    };
  }

  /** An account's servers that still answer (revoked ones are gone, expired ones are left out). */
  async listForAccount(
    tenantId: string,
    integratedAccountId: string,
    now = new Date(),
  ): Promise<McpServerRow[]> {
    return this.db
      .selectFrom('mcp_servers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('integrated_account_id', '=', integratedAccountId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
      .orderBy('created_at')
      .orderBy('id')
      .execute()
      .then((rows) => rows.map(toMcpServerRow));
  }

  async get(tenantId: string, id: string): Promise<McpServerRow | undefined> {
    const raw = await this.db
      .selectFrom('mcp_servers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return raw && toMcpServerRow(raw);
  }

  /** Revokes one server; its URL stops working at once. */
  async revoke(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('mcp_servers')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

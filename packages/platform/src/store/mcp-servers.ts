/**
 * MCP server records: a secret URL per server, stored only as a hash.
 * @module
 */
import type { Kysely } from 'kysely';
import { generateId, generateSecret, hashSecret, TOKEN_PREFIXES } from '../crypto/tokens.js';
import type { DatabaseSchema, McpServersTable } from '../db/schema.js';

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
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

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

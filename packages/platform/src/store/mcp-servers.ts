/**
 * MCP server records: a secret URL per server, stored only as a hash.
 * @module
 */
import type { Kysely } from 'kysely';
import { generateId, generateSecret, hashSecret, TOKEN_PREFIXES } from '../crypto/tokens.js';
import type { DatabaseSchema, McpServersTable } from '../db/schema.js';

export type McpServerRow = McpServersTable;

export interface NewMcpServer {
  tenantId: string;
  integratedAccountId: string;
  allowedMethods: string[] | null;
  requireAdditionalAuth: boolean;
  transport: 'http' | 'stdio';
}

export class McpServerStore {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async create(input: NewMcpServer): Promise<{ secret: string; row: McpServerRow }> {
    const secret = generateSecret(TOKEN_PREFIXES.mcpSecret);
    const row: McpServerRow = {
      id: generateId('mcp'),
      tenant_id: input.tenantId,
      integrated_account_id: input.integratedAccountId,
      secret_hash: hashSecret(secret),
      allowed_methods: input.allowedMethods ? JSON.stringify(input.allowedMethods) : null,
      require_additional_auth: input.requireAdditionalAuth ? 1 : 0,
      transport: input.transport,
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('mcp_servers').values(row).execute();
    return { secret, row };
  }

  async findBySecret(secret: string): Promise<McpServerRow | undefined> {
    return this.db
      .selectFrom('mcp_servers')
      .selectAll()
      .where('secret_hash', '=', hashSecret(secret))
      .executeTakeFirst();
  }

  async listForAccount(tenantId: string, integratedAccountId: string): Promise<McpServerRow[]> {
    return this.db
      .selectFrom('mcp_servers')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('integrated_account_id', '=', integratedAccountId)
      .orderBy('created_at')
      .execute();
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

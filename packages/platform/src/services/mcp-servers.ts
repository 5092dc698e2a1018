/**
 * MCP server records for an account: the secret URL, the methods it exposes and whether the
 * tenant's API token is needed as well.
 * @module
 */
import { NotFoundError, UnknownMethodError } from '../errors.js';
import type { IntegrationCatalogue } from '../integrations/catalogue.js';
import type { IntegratedAccountStore } from '../store/integrated-accounts.js';
import type { McpServerRow, McpServerStore } from '../store/mcp-servers.js';
import type { Tenant } from '../store/tenants.js';
import type { CreateMcpServerRequest, McpServer } from './api-types.js';

export function toMcpServer(row: McpServerRow, secret: string, publicUrl: string): McpServer {
  return {
    id: row.id,
    mcpUrl: `${publicUrl}/mcp/${secret}`,
    transport: row.transport,
    integratedAccountId: row.integrated_account_id,
    createdAt: row.created_at,
    requireAdditionalAuth: row.require_additional_auth,
    ...(row.allowed_methods === null ? {} : { allowedMethods: [...row.allowed_methods] }),
  };
}

export interface McpServerServiceDependencies {
  store: McpServerStore;
  accounts: IntegratedAccountStore;
  catalogue: IntegrationCatalogue;
  publicUrl: () => string;
}

export class McpServerService {
  constructor(private readonly deps: McpServerServiceDependencies) {}

  async create(
    tenant: Tenant,
    integratedAccountId: string,
    input: CreateMcpServerRequest,
  ): Promise<McpServer> {
    const account = await this.deps.accounts.get(tenant.id, integratedAccountId);
    if (!account) throw new NotFoundError(`integrated account "${integratedAccountId}" was not found`);
    const def = this.deps.catalogue.require(account.integration);
    let allowed: string[] | null = null;
    if (input.allowedMethods !== undefined) {
      const offered = new Set((def.methods ?? []).map((m) => m.name));
      const unknown = input.allowedMethods.filter((m) => !offered.has(m));
      if (unknown.length > 0) {
        throw new UnknownMethodError(
          `${def.name} has no method(s) ${unknown.map((u) => `"${u}"`).join(', ')}; it offers ${[...offered].join(', ') || 'none'}`,
        );
      }
      allowed = [...new Set(input.allowedMethods)];
    }
    const { secret, row } = await this.deps.store.create({
      tenantId: tenant.id,
      integratedAccountId,
      allowedMethods: allowed,
      requireAdditionalAuth: input.requireAdditionalAuth === true,
      transport: input.transport ?? 'http',
    });
    return toMcpServer(row, secret, this.deps.publicUrl());
  }
}

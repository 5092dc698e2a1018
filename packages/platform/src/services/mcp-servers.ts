/**
 * MCP server records for an account: the secret URL, the methods it exposes and whether the
 * tenant's API token is needed as well.
 * @module
 */
import { InvalidRequestError, NotFoundError, UnknownMethodError } from '../errors.js';
import type { IntegrationCatalogue } from '../integrations/catalogue.js';
import { TOOL_GROUPS, toolsOf } from '../mcp/tools.js';
import type { IntegratedAccountStore } from '../store/integrated-accounts.js';
import type { McpServerRow, McpServerStore } from '../store/mcp-servers.js';
import type { McpToolCallStore } from '../store/mcp-tool-calls.js';
import type { Tenant } from '../store/tenants.js';
import type {
  CreateMcpServerRequest,
  McpServer,
  McpServerList,
  McpServerSummary,
  McpToolCallList,
} from './api-types.js';

export function toMcpServerSummary(row: McpServerRow): McpServerSummary {
  return {
    id: row.id,
    transport: row.transport,
    integratedAccountId: row.integrated_account_id,
    createdAt: row.created_at,
    requireAdditionalAuth: row.require_additional_auth,
    ...(row.allowed_methods === null ? {} : { allowedMethods: [...row.allowed_methods] }),
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
  };
}

export function toMcpServer(row: McpServerRow, secret: string, publicUrl: string): McpServer {
  return { ...toMcpServerSummary(row), mcpUrl: `${publicUrl}/mcp/${secret}` };
}

export interface McpServerServiceDependencies {
  store: McpServerStore;
  accounts: IntegratedAccountStore;
  catalogue: IntegrationCatalogue;
  publicUrl: () => string;
  /** The audit of tool calls; without it the list is empty. */
  toolCalls?: McpToolCallStore;
  now?: () => Date;
}

export class McpServerService {
  private readonly store: McpServerStore;
  private readonly accounts: IntegratedAccountStore;
  private readonly catalogue: IntegrationCatalogue;
  private readonly publicUrl: () => string;
  private readonly callStore: McpToolCallStore | undefined;
  private readonly now: () => Date;

  constructor(deps: McpServerServiceDependencies) {
    this.store = deps.store;
    this.accounts = deps.accounts;
    this.catalogue = deps.catalogue;
    this.publicUrl = deps.publicUrl;
    this.callStore = deps.toolCalls;
    this.now = deps.now ?? (() => new Date());
  }

  /** The account, or a 404 when it is not the tenant's. */
  async #account(tenant: Tenant, integratedAccountId: string) {
    const account = await this.accounts.get(tenant.id, integratedAccountId);
    if (!account) throw new NotFoundError(`integrated account "${integratedAccountId}" was not found`);
    return account;
  }

  async list(tenant: Tenant, integratedAccountId: string): Promise<McpServerList> {
    await this.#account(tenant, integratedAccountId);
    const rows = await this.store.listForAccount(tenant.id, integratedAccountId, this.now());
    return { data: rows.map(toMcpServerSummary) };
  }

  async revoke(tenant: Tenant, integratedAccountId: string, id: string): Promise<void> {
    await this.#account(tenant, integratedAccountId);
    const row = await this.store.get(tenant.id, id);
    if (
      !row ||
      row.integrated_account_id !== integratedAccountId ||
      !(await this.store.revoke(tenant.id, id))
    ) {
      throw new NotFoundError(
        `MCP server "${id}" was not found on integrated account "${integratedAccountId}"`,
      );
    }
  }

  async toolCalls(
    tenant: Tenant,
    integratedAccountId: string,
    page: { page: number; limit: number },
  ): Promise<McpToolCallList> {
    await this.#account(tenant, integratedAccountId);
    if (!this.callStore) return { data: [], total: 0, ...page };
    const { rows, total } = await this.callStore.listForAccount(tenant.id, integratedAccountId, page);
    return {
      data: rows.map((r) => ({
        id: r.id,
        mcpServerId: r.mcp_server_id,
        integratedAccountId: r.integrated_account_id,
        tool: r.tool,
        outcome: r.outcome,
        ...(r.provider_status === null ? {} : { providerStatus: r.provider_status }),
        durationMs: r.duration_ms,
        createdAt: r.created_at,
      })),
      total,
      ...page,
    };
  }

  async create(
    tenant: Tenant,
    integratedAccountId: string,
    input: CreateMcpServerRequest,
  ): Promise<McpServer> {
    const account = await this.#account(tenant, integratedAccountId);
    const def = this.catalogue.require(account.integration);
    let allowed: string[] | null = null;
    if (input.allowedMethods !== undefined) {
      const tools = toolsOf(def);
      const offered = new Set([...tools.map((t) => t.method.name), ...tools.map((t) => t.name)]);
      const unknown = input.allowedMethods.filter(
        (m) => !offered.has(m) && !(TOOL_GROUPS as string[]).includes(m),
      );
      if (unknown.length > 0) {
        throw new UnknownMethodError(
          `${def.name} has no method(s) ${unknown.map((u) => `"${u}"`).join(', ')}; it offers ${[...new Set(tools.map((t) => t.method.name))].join(', ') || 'none'}, and the groups read and write`,
        );
      }
      allowed = [...new Set(input.allowedMethods)];
    }
    let expiresAt: string | undefined;
    if (input.expiresAt !== undefined) {
      const at = new Date(input.expiresAt);
      if (Number.isNaN(at.getTime()) || at.getTime() <= this.now().getTime()) {
        throw new InvalidRequestError('expiresAt must be a date-time in the future');
      }
      expiresAt = at.toISOString();
    }
    const { secret, row } = await this.store.create({
      tenantId: tenant.id,
      integratedAccountId,
      allowedMethods: allowed,
      requireAdditionalAuth: input.requireAdditionalAuth === true,
      transport: input.transport ?? 'http',
      expiresAt,
    });
    return toMcpServer(row, secret, this.publicUrl());
  }
}

/**
 * The audit trail of MCP tool calls: which tool ran for which account, how it ended and how
 * long it took. Arguments, results and secrets are never stored.
 * @module
 */
import type { Kysely } from 'kysely';
import { generateId } from '../crypto/tokens.js';
import { prepareQuery } from '../db/prepared-query.js';
import type { DatabaseSchema, McpToolCallsTable } from '../db/schema.js';

export type McpToolCallRow = McpToolCallsTable;
export type McpToolCallOutcome = McpToolCallsTable['outcome'];

/** How long tool-call records are kept before housekeeping removes them. */
export const TOOL_CALL_RETENTION_MS = 30 * 24 * 60 * 60_000;

export interface NewMcpToolCall {
  tenantId: string;
  integratedAccountId: string;
  mcpServerId: string;
  tool: string;
  outcome: McpToolCallOutcome;
  providerStatus?: number | undefined;
  durationMs: number;
}

export class McpToolCallStore {
  /** The insert of every tool call, compiled once (see `prepareQuery`). */
  readonly #insert;

  constructor(private readonly db: Kysely<DatabaseSchema>) {
    this.#insert = prepareQuery((arg: (name: keyof McpToolCallRow) => never) =>
      this.db.insertInto('mcp_tool_calls').values({
        id: arg('id'),
        tenant_id: arg('tenant_id'),
        integrated_account_id: arg('integrated_account_id'),
        mcp_server_id: arg('mcp_server_id'),
        tool: arg('tool'),
        outcome: arg('outcome'),
        provider_status: arg('provider_status'),
        duration_ms: arg('duration_ms'),
        created_at: arg('created_at'),
      }),
    );
  }

  async record(input: NewMcpToolCall): Promise<McpToolCallRow> {
    const row: McpToolCallRow = {
      id: generateId('mcpcall'),
      tenant_id: input.tenantId,
      integrated_account_id: input.integratedAccountId,
      mcp_server_id: input.mcpServerId,
      tool: input.tool,
      outcome: input.outcome,
      provider_status: input.providerStatus ?? null,
      duration_ms: Math.max(0, Math.round(input.durationMs)),
      created_at: new Date().toISOString(),
    };
    await this.#insert.execute(this.db, row);
    return row;
  }

  /** An account's calls, newest first. */
  async listForAccount(
    tenantId: string,
    integratedAccountId: string,
    page: { page: number; limit: number },
  ): Promise<{ rows: McpToolCallRow[]; total: number }> {
    const base = this.db
      .selectFrom('mcp_tool_calls')
      .where('tenant_id', '=', tenantId)
      .where('integrated_account_id', '=', integratedAccountId);
    const [rows, counted] = await Promise.all([
      base
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset((page.page - 1) * page.limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(counted.n) };
  }
}

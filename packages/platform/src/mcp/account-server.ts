/**
 * The MCP server of one integrated account, built afresh for every HTTP request (stateless):
 * `tools/list` answers the tools the server record allows, `tools/call` validates the arguments
 * and runs the integration method through `callMethod` (credentials, OAuth refresh, outbound
 * guard, timeout and byte cap), then leaves an audit record. Provider failures are `isError`
 * results a model can act on; unknown tools and bad arguments are protocol errors.
 * @module
 */
import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { InvalidArgumentError, PlatformError } from '../errors.js';
import type { IntegrationDefinition } from '../integrations/definition.js';
import { bodyErrorOf } from '../provider/body-errors.js';
import { nextPageFor } from '../provider/pagination.js';
import { ProviderRequestError, type ProviderResponse, shortText } from '../provider/provider-client.js';
import { ReauthRequiredError } from '../provider/token-refresh.js';
import type { AccountRow } from '../store/integrated-accounts.js';
import type { McpServerRow } from '../store/mcp-servers.js';
import type { McpToolCallOutcome, McpToolCallStore } from '../store/mcp-tool-calls.js';
import type { Tenant } from '../store/tenants.js';
import { nextPageOf } from './next-page.js';
import type { IntegrationTool } from './tools.js';

/** Everything one request's server needs, resolved by the endpoint before the SDK runs. */
export interface ServedAccount {
  record: McpServerRow;
  tenant: Tenant;
  account: AccountRow;
  definition: IntegrationDefinition;
  tools: IntegrationTool[];
}

export interface MethodRunner {
  callMethod(
    tenant: Tenant,
    id: string,
    methodName: string,
    input?: Record<string, unknown>,
    /** The account row the request already loaded, so it is not read again. */
    loaded?: AccountRow,
  ): Promise<ProviderResponse>;
}

export interface AccountServerDependencies {
  runner: MethodRunner;
  audit: McpToolCallStore;
  logger: Logger;
}

export const SERVER_VERSION = '0.1.0';

interface CallToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

function result(structured: Record<string, unknown>, isError = false): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured,
    ...(isError ? { isError: true } : {}),
  };
}

/** The provider's own short message, when its error body has one. */
function providerMessage(response: ProviderResponse): string {
  const body = response.body;
  if (typeof body === 'string' && body.trim() !== '') return shortText(body);
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const key of ['message', 'error_description', 'error', 'detail', 'title']) {
      const value = b[key];
      if (typeof value === 'string' && value.trim() !== '') return shortText(value);
      if (
        value &&
        typeof value === 'object' &&
        typeof (value as { message?: unknown }).message === 'string'
      ) {
        return shortText((value as { message: string }).message);
      }
    }
    if (Array.isArray(body) && typeof (body[0] as { message?: unknown })?.message === 'string') {
      return shortText((body[0] as { message: string }).message);
    }
  }
  return response.statusText || `HTTP ${response.status}`;
}

/** "retry after N s" for a throttled answer, and the same as a field a client can read. */
function retryHint(response: ProviderResponse): { text: string; fields: { retryAfterSeconds?: number } } {
  const waitMs = response.retryAfterMs;
  if (waitMs === undefined) {
    return response.throttled
      ? { text: ' (rate limited: retry later)', fields: {} }
      : { text: '', fields: {} };
  }
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return { text: ` (rate limited: retry after ${seconds} s)`, fields: { retryAfterSeconds: seconds } };
}

function unusableReason(served: ServedAccount): string | undefined {
  if (served.account.status === 'active') return undefined;
  const why = served.account.status_reason ? `: ${served.account.status_reason}` : '';
  return `The ${served.definition.label} account "${served.account.name}" is in status "${served.account.status}"${why}. Ask the user to reconnect it; no call was made.`;
}

export function buildAccountServer(served: ServedAccount, deps: AccountServerDependencies): Server {
  const { definition, tools } = served;
  const byName = new Map(tools.map((t) => [t.name, t]));
  const server = new Server(
    { name: `truto-${definition.name}`, title: definition.label, version: SERVER_VERSION },
    {
      capabilities: { tools: {} },
      instructions: `Tools of one connected ${definition.label} account ("${served.account.name}"). Each tool calls ${definition.label}'s API with that account's credentials.`,
    },
  );

  server.setRequestHandler('tools/list', () => ({
    tools: tools.map((t) => ({
      name: t.name,
      title: t.annotations.title,
      description: t.description,
      inputSchema: t.inputSchema,
      annotations: t.annotations,
    })),
  }));

  server.setRequestHandler('tools/call', async (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown tool "${request.params.name}"; this server offers ${[...byName.keys()].join(', ') || 'no tools'}`,
      );
    }
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    if (!tool.validate(args)) {
      const problems = (tool.validate.errors ?? [])
        .map((e) => `${e.instancePath || '(arguments)'} ${e.message ?? 'is invalid'}`)
        .join('; ');
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Invalid arguments for ${tool.name}: ${problems}`,
      );
    }
    const started = performance.now();
    const { outcome, providerStatus, answer } = await runTool(served, tool, args, deps);
    const durationMs = performance.now() - started;
    try {
      await deps.audit.record({
        tenantId: served.tenant.id,
        integratedAccountId: served.account.id,
        mcpServerId: served.record.id,
        tool: tool.name,
        outcome,
        providerStatus,
        durationMs,
      });
    } catch (error) {
      // The call already happened; a lost audit row is logged rather than hiding its answer.
      deps.logger.error(
        { err: error, mcpServerId: served.record.id, tool: tool.name },
        'MCP audit record failed',
      );
    }
    return answer;
  });
  return server;
}

async function runTool(
  served: ServedAccount,
  tool: IntegrationTool,
  args: Record<string, unknown>,
  deps: AccountServerDependencies,
): Promise<{ outcome: McpToolCallOutcome; providerStatus?: number | undefined; answer: CallToolResult }> {
  const label = served.definition.label;
  const unusable = unusableReason(served);
  if (unusable) {
    return {
      outcome: 'account_unusable',
      answer: result({ error: 'account_unusable', message: unusable }, true),
    };
  }
  try {
    const response = await deps.runner.callMethod(
      served.tenant,
      served.account.id,
      tool.method.name,
      args,
      served.account,
    );
    const bodyError = response.status < 400 ? bodyErrorOf(served.definition.bodyErrors, response) : undefined;
    if (response.status >= 400 || bodyError !== undefined || response.throttled) {
      const said = bodyError === undefined ? providerMessage(response) : shortText(bodyError);
      const retry = retryHint(response);
      const message = `${label} answered ${response.status}${bodyError === undefined ? '' : ' with an error'}: ${said}${retry.text}`;
      return {
        outcome: 'provider_error',
        providerStatus: response.status,
        answer: result({ error: 'provider_error', status: response.status, message, ...retry.fields }, true),
      };
    }
    const next = tool.method.pagination
      ? nextPageFor(tool.method.pagination, response, args)
      : nextPageOf(response.headers);
    // A 201's Location is often the only place the new record's id is (BambooHR's create employee).
    const location = response.status === 201 ? response.headers.get('location') : null;
    return {
      outcome: 'ok',
      providerStatus: response.status,
      answer: result({
        status: response.status,
        data: response.body ?? null,
        ...(next ? { next } : {}),
        ...(location ? { location } : {}),
      }),
    };
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      // An argument the schema allowed but the call refused (a next-page URL on another host).
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Invalid arguments for ${tool.name}: ${error.message}`,
      );
    }
    if (error instanceof ReauthRequiredError) {
      const message = `The ${label} account needs to be reconnected (${error.message}); no call was made.`;
      return { outcome: 'account_unusable', answer: result({ error: 'account_unusable', message }, true) };
    }
    if (error instanceof PlatformError) {
      const status = error instanceof ProviderRequestError ? error.providerStatus : undefined;
      return {
        outcome: 'failed',
        providerStatus: status,
        answer: result(
          {
            error: error.code,
            ...(status === undefined ? {} : { status }),
            message: `${label}: ${error.message}`,
          },
          true,
        ),
      };
    }
    deps.logger.error({ err: error, mcpServerId: served.record.id, tool: tool.name }, 'MCP tool call failed');
    return {
      outcome: 'failed',
      answer: result(
        { error: 'internal_error', message: `The call to ${label} failed inside the platform.` },
        true,
      ),
    };
  }
}

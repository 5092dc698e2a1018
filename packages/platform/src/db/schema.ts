/**
 * Row types of the platform's tables, as Kysely sees them. Timestamps are ISO-8601 text and
 * JSON columns are text on both SQLite and PostgreSQL, so one set of queries serves both.
 * @module
 */
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  api_token_hash: string;
  /** JSON array of origins (`https://app.example.com`). */
  allowed_origins: string;
  webhook_url: string | null;
  /** Last creation sequence number handed to one of the tenant's accounts. */
  account_seq: Generated<number>;
  created_at: string;
  /** Set when the tenant's API token was turned off (`tenants disable`). */
  disabled_at: Generated<string | null>;
}

export interface IntegratedAccountsTable {
  id: string;
  tenant_id: string;
  /** Per-tenant creation order; the stable order of lists. */
  seq: number;
  integration: string;
  auth_format: string;
  name: string;
  status: 'active' | 'inactive' | 'error';
  status_reason: string | null;
  external_id: string | null;
  context: string;
  metadata: string;
  /** Sealed credentials (see CredentialCipher); null once removed. */
  credentials: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Live-row counts per (tenant, filter, bucket of 512 sequence numbers): lets a list find
 * any page and its total by reading a few hundred small rows instead of walking the index.
 */
export interface AccountPageBucketsTable {
  tenant_id: string;
  filter_key: string;
  bucket: number;
  n: number;
}

export interface LinkTokensTable {
  token_hash: string;
  tenant_id: string;
  integration: string;
  external_id: string | null;
  redirect_uri: string | null;
  scopes: string | null;
  metadata: string;
  integrated_account_id: string | null;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}

export interface McpServersTable {
  id: string;
  tenant_id: string;
  integrated_account_id: string;
  secret_hash: string;
  allowed_methods: string | null;
  require_additional_auth: number;
  transport: 'http' | 'stdio';
  created_at: string;
  /** Null: never expires. */
  expires_at: string | null;
}

/** Requests of one rate-limit key (an MCP server) in one fixed window, shared by every process. */
export interface McpRateWindowsTable {
  key: string;
  /** ISO time the window started at. */
  window_start: string;
  hits: number;
}

/** One MCP tool call: who, which tool, how it went; never its arguments. */
export interface McpToolCallsTable {
  id: string;
  tenant_id: string;
  integrated_account_id: string;
  mcp_server_id: string;
  tool: string;
  outcome: 'ok' | 'provider_error' | 'failed' | 'account_unusable';
  provider_status: number | null;
  duration_ms: number;
  created_at: string;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: string;
  retired_at: string | null;
}

export interface LinkFlowsTable {
  /** base64url SHA-256 of the widget's status secret. */
  status_hash: string;
  link_token_hash: string;
  tenant_id: string;
  state: 'pending' | 'provider' | 'success' | 'error';
  outcome: string | null;
  updated_at: string;
  expires_at: string;
}

export interface OAuthStatesTable {
  state_hash: string;
  link_token_hash: string;
  /** Sealed JSON: the flow's link token, mode, nonce, origin, language and entered fields. */
  sealed_flow: string;
  /** Sealed PKCE code verifier. */
  code_verifier: string;
  expires_at: string;
}

export interface WebhookEventsTable {
  id: string;
  tenant_id: string;
  type: string;
  payload: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  last_error: string | null;
}

export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  /** SHA-256 of the operation and the request body. */
  fingerprint: string;
  /** The first answer's status and JSON body, once it finished. */
  status: number | null;
  response: string | null;
  /** While the first request runs: when another process may take the key over. */
  locked_until: string | null;
  created_at: string;
  expires_at: string;
}

export interface DatabaseSchema {
  idempotency_keys: IdempotencyKeysTable;
  webhook_events: WebhookEventsTable;
  link_flows: LinkFlowsTable;
  oauth_states: OAuthStatesTable;
  signing_keys: SigningKeysTable;
  tenants: TenantsTable;
  integrated_accounts: IntegratedAccountsTable;
  account_page_buckets: AccountPageBucketsTable;
  link_tokens: LinkTokensTable;
  mcp_servers: McpServersTable;
  mcp_tool_calls: McpToolCallsTable;
  mcp_rate_windows: McpRateWindowsTable;
}

/**
 * `createAdminClient`: a typed client of the Admin API, generated from the spec
 * (`src/generated/admin-api.ts`, by openapi-typescript) and called through openapi-fetch. Each
 * method resolves to the answer's body and rejects with an {@link AdminApiError} carrying the
 * server's `error` and `message`; `raw` is the openapi-fetch client for anything else.
 *
 * @example
 * ```ts
 * const admin = createAdminClient({ baseUrl: 'https://connect.acme.com', apiToken });
 * const { data } = await admin.listIntegratedAccounts({ integration: 'acmehr' });
 * await admin.deleteIntegratedAccount(data?.[0]?.id ?? '');
 * ```
 * @module
 */
import createClient, { type Client } from 'openapi-fetch';
import { AdminApiError } from './errors.js';
import type { components, operations, paths } from './generated/admin-api.js';

export type { components, operations, paths };

type Schemas = components['schemas'];
export type IntegratedAccount = Schemas['IntegratedAccount'];
export type IntegratedAccountList = Schemas['IntegratedAccountListResponse'];
export type CreateIntegratedAccountRequest = Schemas['CreateIntegratedAccountRequest'];
export type CreateLinkTokenRequest = Schemas['CreateLinkTokenRequest'];
export type LinkToken = Schemas['LinkToken'];
export type CreateMcpServerRequest = Schemas['CreateMcpServerRequest'];
export type McpServer = Schemas['McpServer'];
export type ListIntegratedAccountsQuery = NonNullable<
  operations['listIntegratedAccounts']['parameters']['query']
>;
export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>;
}

export interface AdminClientOptions {
  /** The platform (or any server of the spec), e.g. `https://connect.acme.com`. */
  baseUrl: string;
  /** The tenant's Admin API token, sent as `Authorization: Bearer`. */
  apiToken: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: (request: Request) => Promise<Response>;
  /** The `Request` class that goes with `fetch` (openapi-fetch builds requests with it). */
  Request?: typeof Request;
}

export interface AdminClient {
  listIntegratedAccounts(query?: ListIntegratedAccountsQuery): Promise<IntegratedAccountList>;
  getIntegratedAccount(id: string): Promise<IntegratedAccount>;
  createIntegratedAccount(body: CreateIntegratedAccountRequest): Promise<IntegratedAccount>;
  deleteIntegratedAccount(id: string): Promise<void>;
  runPostInstallActions(id: string): Promise<IntegratedAccount>;
  createMcpServer(id: string, body?: CreateMcpServerRequest): Promise<McpServer>;
  createLinkToken(body: CreateLinkTokenRequest): Promise<LinkToken>;
  /** The typed openapi-fetch client, for calls the methods above do not cover. */
  readonly raw: Client<paths>;
}

const ADMIN_OPTIONS = new Set(['baseUrl', 'apiToken', 'fetch', 'Request']);

/** Checks `baseUrl` once: an absolute http(s) URL; returns it without a trailing slash. */
export function normalizeBaseUrl(value: unknown, option = 'baseUrl'): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new TypeError(`${option} must be an absolute http(s) URL without credentials`);
  }
  if (url.search || url.hash) throw new TypeError(`${option} must not have a query or fragment`);
  return url.href.replace(/\/+$/, '');
}

export function createAdminClient(options: AdminClientOptions): AdminClient {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  for (const key of Object.keys(options)) {
    if (!ADMIN_OPTIONS.has(key)) throw new TypeError(`unknown option "${key}"`);
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  if (typeof options.apiToken !== 'string' || options.apiToken.trim() === '') {
    throw new TypeError('apiToken must be a non-empty string');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TypeError('fetch must be a function');
  }
  if (options.Request !== undefined && typeof options.Request !== 'function') {
    throw new TypeError('Request must be a class');
  }
  const raw = createClient<paths>({
    baseUrl,
    headers: { authorization: `Bearer ${options.apiToken}` },
    // Looked up per call, so a fetch patched after creation (tests, instrumentation) is used.
    fetch: (request: Request) => (options.fetch ?? globalThis.fetch)(request),
    ...(options.Request ? { Request: options.Request } : {}),
  });

  /** Turns openapi-fetch's `{data, error, response}` into the body or an AdminApiError. */
  async function unwrap<T>(
    call: Promise<{ data?: T; error?: unknown; response: Response }>,
    expected?: number,
  ): Promise<T> {
    let outcome: { data?: T; error?: unknown; response: Response };
    try {
      outcome = await call;
    } catch (cause) {
      // A refused connection or DNS failure: say where, never with which token.
      throw new AdminApiError(0, 'unreachable', `could not reach the Admin API at ${baseUrl}`, { cause });
    }
    const { response } = outcome;
    if (response.ok && (expected === undefined || response.status === expected)) return outcome.data as T;
    const body = (outcome.error ?? {}) as { error?: unknown; message?: unknown };
    throw new AdminApiError(
      response.status,
      typeof body.error === 'string' ? body.error : 'unexpected_response',
      typeof body.message === 'string'
        ? body.message
        : `the Admin API answered ${response.status} to ${response.url ? new URL(response.url).pathname : 'a request'}`,
    );
  }

  const id = (value: string) => ({ params: { path: { id: value } } });
  return {
    raw,
    listIntegratedAccounts: (query) =>
      unwrap(raw.GET('/integrated-accounts', { params: { query: query ?? {} } })),
    getIntegratedAccount: (accountId) => unwrap(raw.GET('/integrated-accounts/{id}', id(accountId))),
    createIntegratedAccount: (body) => unwrap(raw.POST('/integrated-accounts', { body })),
    deleteIntegratedAccount: async (accountId) => {
      await unwrap(raw.DELETE('/integrated-accounts/{id}', id(accountId)));
    },
    runPostInstallActions: (accountId) =>
      unwrap(raw.POST('/integrated-accounts/{id}/run-post-install-actions', id(accountId))),
    createMcpServer: (accountId, body) =>
      unwrap(raw.POST('/integrated-accounts/{id}/mcp', { ...id(accountId), body: body ?? {} })),
    createLinkToken: (body) => unwrap(raw.POST('/link-tokens', { body })),
  };
}

/**
 * Calls a third-party API on behalf of one account: builds the URL from the definition's
 * templates, puts the credentials on the request as the auth method says, and bounds the call
 * with a timeout and the answer with a byte cap. A URL whose host comes from the account's
 * values (`{instance_url}`) passes the outbound guard (`outbound/guarded-dispatcher.ts`).
 * A throttled answer is retried as the definition's `rateLimit` says (`rate-limit.ts`).
 * Used by post-install steps (and by MCP tools).
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as oauth from 'oauth4webapi';
import { PlatformError, ProviderRequestError, ProviderTimeoutError } from '../errors.js';
import type {
  AuthMethodDefinition,
  IntegrationDefinition,
  PaginationDefinition,
  RequestDefinition,
} from '../integrations/definition.js';
import type { TemplateValues } from '../integrations/template.js';
import { providerFetch } from '../outbound/provider-fetch.js';
import { tokenParamsOf } from './oauth-authorization.js';
import { rateLimitPolicyOf, throttleDecision } from './rate-limit.js';
import { accountValues, prepareProviderRequest } from './request-builder.js';
import { TOKEN_RESPONSE_OPTIONS, tokenEndpoint } from './token-endpoint.js';

export const DEFAULT_PROVIDER_TIMEOUT_MS = 10_000;

export { ProviderRequestError, ProviderTimeoutError };

export interface ProviderAccount {
  definition: IntegrationDefinition;
  method: AuthMethodDefinition;
  credentials: Readonly<Record<string, string>>;
  context: Readonly<Record<string, unknown>>;
}

export interface ProviderResponse {
  status: number;
  /** The HTTP reason phrase ("Unauthorized"), empty over HTTP/2 or when the provider sent none. */
  statusText: string;
  headers: Headers;
  body: unknown;
  /** The answer is a throttled one (under the definition's `rateLimit`) that was not retried. */
  throttled?: true;
  /** When throttled: the wait it named (or the declared backoff's), in milliseconds. */
  retryAfterMs?: number;
}

export interface ProviderCallOptions {
  /** Values for the request's own placeholders (tool arguments). */
  input?: Readonly<Record<string, unknown>>;
  /** The method's paging, when a paging argument may carry a next page's URL. */
  pagination?: PaginationDefinition;
  /** A ready body, instead of the request's body template. */
  body?: unknown;
  timeoutMs?: number;
}

/**
 * Gets an access token with the client-credentials grant (Greenhouse Harvest v3).
 * @param transport sends the token request instead of the network (contract tests).
 */
export async function clientCredentialsToken(
  definition: IntegrationDefinition,
  method: AuthMethodDefinition,
  values: TemplateValues,
  signal: AbortSignal,
  transport?: typeof fetch,
): Promise<string> {
  const spec = method.oauth2;
  if (!spec) throw new ProviderRequestError(`${method.format} has no oauth2 settings`);
  const endpoint = tokenEndpoint(
    spec,
    values,
    { clientId: String(values.client_id), clientSecret: String(values.client_secret) },
    {
      ...(definition.maxResponseBytes === undefined ? {} : { maxResponseBytes: definition.maxResponseBytes }),
      ...(transport === undefined ? {} : { transport }),
    },
  );
  const params = new URLSearchParams();
  if (spec.scopes?.length) params.set('scope', spec.scopes.join(spec.scopeSeparator ?? ' '));
  for (const [name, value] of Object.entries(tokenParamsOf(spec, values))) params.set(name, value);
  try {
    const { as, client, clientAuth } = endpoint;
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      clientAuth,
      params,
      endpoint.options(signal),
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response, TOKEN_RESPONSE_OPTIONS);
    return result.access_token;
  } catch (cause) {
    if (signal.aborted) throw new ProviderTimeoutError('token request timed out', { cause });
    if (cause instanceof PlatformError) throw cause;
    const status = cause instanceof oauth.ResponseBodyError ? cause.status : undefined;
    const detail = cause instanceof oauth.ResponseBodyError ? `: ${shortText(cause.error)}` : '';
    throw new ProviderRequestError(`token request was refused${detail}`, {
      cause,
      ...(status === undefined ? {} : { providerStatus: status }),
    });
  }
}

/** At most 200 characters of a provider's text, without control characters. */
export function shortText(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
    .slice(0, 200);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export async function callProvider(
  account: ProviderAccount,
  request: RequestDefinition,
  options: ProviderCallOptions = {},
): Promise<ProviderResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const deadline = performance.now() + timeoutMs;
  const values = accountValues(account.credentials, account.context);
  try {
    if (account.method.format === 'oauth2_client_credentials') {
      values.access_token = await clientCredentialsToken(account.definition, account.method, values, signal);
    }
    const prepared = prepareProviderRequest(account.definition, account.method, values, request, {
      ...(options.input === undefined ? {} : { input: options.input }),
      ...(options.pagination === undefined ? {} : { pagination: options.pagination }),
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    const maxBytes = account.definition.maxResponseBytes;
    const policy = rateLimitPolicyOf(account.definition.rateLimit);
    for (let retries = 0; ; retries++) {
      const response = await providerFetch(
        prepared.url,
        { method: prepared.method, headers: prepared.headers, body: prepared.body, signal },
        { guarded: prepared.guarded, ...(maxBytes === undefined ? {} : { maxBytes }) },
      );
      const answer: ProviderResponse = {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: await readBody(response),
      };
      const throttle = throttleDecision(policy, answer, retries, deadline - performance.now());
      if (!throttle) return answer;
      if (!throttle.retry) {
        return {
          ...answer,
          throttled: true,
          ...(throttle.waitMs === undefined ? {} : { retryAfterMs: throttle.waitMs }),
        };
      }
      // A throttled request was not processed (RFC 6585), so sending it again is safe.
      await sleep(throttle.waitMs ?? 0, undefined, { signal });
    }
  } catch (cause) {
    if (cause instanceof PlatformError) throw cause;
    if (signal.aborted) {
      throw new ProviderTimeoutError(`no answer within ${timeoutMs} ms`, { cause });
    }
    // fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is its cause.
    const reason = (cause as { cause?: { code?: string; message?: string } }).cause;
    const detail = reason?.code ?? reason?.message ?? (cause as Error).message;
    throw new ProviderRequestError(`request failed (${detail})`, { cause });
  }
}

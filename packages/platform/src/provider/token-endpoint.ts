/**
 * A provider's OAuth 2.0 token endpoint as oauth4webapi needs it: the authorization server, the
 * client and how it authenticates (body or HTTP Basic, see `client-auth.ts`). Shared by the
 * authorization-code, refresh and client-credentials grants. Token requests go through
 * `providerFetch`: the answer is capped, and a token URL whose host comes from a value (a
 * login host, a subdomain) passes the outbound guard.
 * @module
 */
import * as oauth from 'oauth4webapi';
import type { OAuth2Definition } from '../integrations/definition.js';
import { renderTemplate, type TemplateValues, templateFixesOrigin } from '../integrations/template.js';
import { providerFetch } from '../outbound/provider-fetch.js';
import { clientSecretBasic, clientSecretPost } from './client-auth.js';

export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

const acceptAsIs = () => {};

/**
 * Options for processing a token answer (every grant). oauth4webapi accepts only `bearer` and
 * `dpop` (case-insensitive) and refuses the rest; real providers send other names for what is
 * still a bearer token: Slack's `oauth.v2.access` answers `"token_type": "bot"` (and `user` for
 * user tokens). How a token goes on requests is the definition's `apply`, not `token_type`, so
 * these names are accepted as they are.
 */
export const TOKEN_RESPONSE_OPTIONS: oauth.ProcessTokenResponseOptions = {
  recognizedTokenTypes: { bot: acceptAsIs, user: acceptAsIs },
};

/**
 * Linear's token answer gives `scope` as a JSON array (`["read","write"]`); RFC 6749 and
 * oauth4webapi want a space-separated string, and the answer would be refused. Such an answer
 * is rewritten with the scopes joined; every other answer passes untouched.
 */
export async function normaliseTokenAnswer(response: Response): Promise<Response> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return response;
  const text = await response.clone().text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return response;
  }
  if (body === null || typeof body !== 'object' || !Array.isArray((body as { scope?: unknown }).scope)) {
    return response;
  }
  const scope = (body as { scope: unknown[] }).scope;
  if (!scope.every((s) => typeof s === 'string')) return response;
  return new Response(JSON.stringify({ ...body, scope: scope.join(' ') }), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

export interface TokenEndpointRequestOptions {
  [oauth.allowInsecureRequests]: boolean;
  [oauth.customFetch]: typeof fetch;
  signal: AbortSignal;
}

export interface TokenEndpoint {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  /** Request options: plain http only for an operator-configured provider on this machine. */
  options(signal?: AbortSignal): TokenEndpointRequestOptions;
}

const isLoopback = (url: URL) =>
  url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export function tokenEndpoint(
  spec: OAuth2Definition,
  values: TemplateValues,
  credentials: { clientId: string; clientSecret: string },
  limits: {
    maxResponseBytes?: number;
    /** Sends the token request instead of the network (contract tests record it and answer a documented sample). */
    transport?: typeof fetch;
  } = {},
): TokenEndpoint {
  const url = new URL(renderTemplate(spec.tokenUrl, values));
  const guarded = !templateFixesOrigin(spec.tokenUrl);
  const insecure = !guarded && isLoopback(url);
  const send = (limits.transport ??
    ((input: string | URL, init?: RequestInit) =>
      providerFetch(input, init ?? {}, {
        guarded,
        ...(limits.maxResponseBytes === undefined ? {} : { maxBytes: limits.maxResponseBytes }),
      }))) as typeof fetch;
  const customFetch = (async (input: string | URL, init?: RequestInit) =>
    normaliseTokenAnswer(await send(input, init))) as typeof fetch;
  return {
    as: { issuer: url.origin, token_endpoint: url.href },
    client: { client_id: credentials.clientId },
    clientAuth:
      spec.clientAuth === 'basic'
        ? clientSecretBasic(credentials.clientSecret)
        : clientSecretPost(credentials.clientSecret),
    options: (signal) => ({
      [oauth.allowInsecureRequests]: insecure,
      [oauth.customFetch]: customFetch,
      signal: signal ?? AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    }),
  };
}

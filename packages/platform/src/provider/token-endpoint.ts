/**
 * A provider's OAuth 2.0 token endpoint as oauth4webapi needs it: the authorization server, the
 * client and how it authenticates (body or HTTP Basic). Shared by the authorization-code,
 * refresh and client-credentials grants.
 * @module
 */
import * as oauth from 'oauth4webapi';
import type { OAuth2Definition } from '../integrations/definition.js';
import { renderTemplate, type TemplateValues } from '../integrations/template.js';

export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

export interface TokenEndpoint {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  /** Request options: plain http only for a provider on this machine (tests, the sandbox). */
  options(signal?: AbortSignal): { [oauth.allowInsecureRequests]: boolean; signal: AbortSignal };
}

const isLoopback = (url: URL) =>
  url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export function tokenEndpoint(
  spec: OAuth2Definition,
  values: TemplateValues,
  credentials: { clientId: string; clientSecret: string },
): TokenEndpoint {
  const url = new URL(renderTemplate(spec.tokenUrl, values));
  const insecure = isLoopback(url);
  return {
    as: { issuer: url.origin, token_endpoint: url.href },
    client: { client_id: credentials.clientId },
    clientAuth:
      spec.clientAuth === 'basic'
        ? oauth.ClientSecretBasic(credentials.clientSecret)
        : oauth.ClientSecretPost(credentials.clientSecret),
    options: (signal) => ({
      [oauth.allowInsecureRequests]: insecure,
      signal: signal ?? AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    }),
  };
}

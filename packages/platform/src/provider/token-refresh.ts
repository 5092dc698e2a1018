/**
 * OAuth 2.0 refresh of an account's access token (refresh_token grant, via oauth4webapi).
 * @module
 */
import * as oauth from 'oauth4webapi';
import { PlatformError, ReauthRequiredError } from '../errors.js';
import { type Credentials, expiryAfter } from '../integrations/credentials.js';
import type { AuthMethodDefinition } from '../integrations/definition.js';
import { tokenParamsOf } from './oauth-authorization.js';
import { shortText } from './provider-client.js';
import { TOKEN_RESPONSE_OPTIONS, tokenEndpoint } from './token-endpoint.js';

/** Refresh this long before expiry at most; less for tokens that live less than twice as long. */
export const REFRESH_SKEW_MS = 30_000;

export { ReauthRequiredError };

/** Whether these OAuth credentials should be refreshed before use. */
export function needsRefresh(credentials: Credentials, now = Date.now()): boolean {
  if (!credentials.expires_at || !credentials.refresh_token) return false;
  const expiresAt = Date.parse(credentials.expires_at);
  const issuedAt = credentials.issued_at
    ? Date.parse(credentials.issued_at)
    : expiresAt - 2 * REFRESH_SKEW_MS;
  const skew = Math.min(REFRESH_SKEW_MS, Math.max(0, (expiresAt - issuedAt) / 2));
  return now >= expiresAt - skew;
}

export async function refreshCredentials(
  method: AuthMethodDefinition,
  credentials: Credentials,
  client: { clientId: string; clientSecret: string },
): Promise<Credentials> {
  const spec = method.oauth2;
  if (!spec || !credentials.refresh_token) throw new ReauthRequiredError('the account has no refresh token');
  const { as, client: oauthClient, clientAuth, options } = tokenEndpoint(spec, credentials, client);
  let tokens: oauth.TokenEndpointResponse;
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      oauthClient,
      clientAuth,
      credentials.refresh_token,
      { ...options(), additionalParameters: tokenParamsOf(spec, credentials) },
    );
    tokens = await oauth.processRefreshTokenResponse(as, oauthClient, response, TOKEN_RESPONSE_OPTIONS);
  } catch (cause) {
    if (cause instanceof oauth.ResponseBodyError) {
      throw new ReauthRequiredError(`the provider refused to refresh the token (${shortText(cause.error)})`, {
        cause,
      });
    }
    throw new PlatformError(`the token could not be refreshed: ${(cause as Error).message}`, { cause });
  }
  const now = Date.now();
  return {
    ...credentials,
    access_token: tokens.access_token,
    // Providers that do not rotate refresh tokens send none back: keep the one we have.
    refresh_token: tokens.refresh_token ?? credentials.refresh_token,
    issued_at: new Date(now).toISOString(),
    // A provider's lifetime is clamped: `expires_in: 1e300` must not make an unwritable date.
    ...(tokens.expires_in ? { expires_at: expiryAfter(tokens.expires_in, now) } : {}),
  };
}

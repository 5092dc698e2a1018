/**
 * The OAuth 2.0 authorization-code grant with PKCE and `state` (via oauth4webapi), both ends of
 * it: the provider's authorization URL to send the end user to, and the exchange of the code the
 * provider sends back for tokens, mapped to the account's credential fields. No HTTP framework:
 * the connect router calls these and does the redirecting.
 * @module
 */
import * as oauth from 'oauth4webapi';
import { MAX_TOKEN_LIFETIME_SECONDS } from '../integrations/credentials.js';
import type { AuthMethodDefinition, OAuth2Definition } from '../integrations/definition.js';
import { renderOptionalTemplate, renderTemplate } from '../integrations/template.js';
import { TOKEN_RESPONSE_OPTIONS, tokenEndpoint } from './token-endpoint.js';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface AuthorizationRequest {
  /** The provider's authorization URL, with every parameter set. */
  url: string;
  /** Kept server-side; the callback must bring `state` back. */
  state: string;
  codeVerifier: string;
}

/** An auth method that can start the authorization-code grant. */
export function authorizationCodeMethod(
  methods: readonly AuthMethodDefinition[],
): (AuthMethodDefinition & { oauth2: OAuth2Definition & { authorizeUrl: string } }) | undefined {
  const method = methods.find((m) => m.format === 'oauth2' && m.oauth2?.grant === 'authorization_code');
  return method?.oauth2?.authorizeUrl
    ? (method as AuthMethodDefinition & { oauth2: OAuth2Definition & { authorizeUrl: string } })
    : undefined;
}

/** The URL that starts the grant, with fresh `state` and PKCE verifier. */
export async function startAuthorization(
  spec: OAuth2Definition & { authorizeUrl: string },
  client: OAuthClient,
  request: {
    /** The method's fields (a subdomain, a login host), for the URL templates. */
    fields: Record<string, string>;
    /** The link token's scopes, else the definition's. */
    scopes: readonly string[] | undefined;
    redirectUri: string;
  },
): Promise<AuthorizationRequest> {
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const authorize = new URL(renderTemplate(spec.authorizeUrl, request.fields));
  authorize.searchParams.set('client_id', client.clientId);
  authorize.searchParams.set('redirect_uri', request.redirectUri);
  authorize.searchParams.set('response_type', 'code');
  authorize.searchParams.set('state', state);
  const scopes = request.scopes ?? spec.scopes ?? [];
  if (scopes.length) authorize.searchParams.set('scope', scopes.join(spec.scopeSeparator ?? ' '));
  if (spec.pkce !== false) {
    authorize.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    authorize.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [name, template] of Object.entries(spec.authorizeParams ?? {})) {
    const value = renderOptionalTemplate(template, request.fields);
    if (value !== undefined) authorize.searchParams.set(name, value);
  }
  return { url: authorize.href, state, codeVerifier };
}

/** The definition's extra token-request parameters; one naming an absent optional field is left out. */
export function tokenParamsOf(spec: OAuth2Definition, values: Readonly<Record<string, unknown>>) {
  const params: Record<string, string> = {};
  for (const [name, template] of Object.entries(spec.tokenParams ?? {})) {
    const value = renderOptionalTemplate(template, values);
    if (value !== undefined) params[name] = value;
  }
  return params;
}

/**
 * Exchanges the code of the provider's callback for tokens. Answers the credential input of the
 * new account: the method's fields, the tokens, and any token-response fields the definition names.
 * Throws oauth4webapi's errors when the callback or the token response is not valid.
 */
export async function exchangeAuthorizationCode(
  spec: OAuth2Definition,
  client: OAuthClient,
  exchange: {
    fields: Record<string, string>;
    /** The callback's query, as received. */
    callbackQuery: Record<string, unknown>;
    redirectUri: string;
    codeVerifier: string;
  },
  limits: Parameters<typeof tokenEndpoint>[3] = {},
): Promise<Record<string, unknown>> {
  const {
    as,
    client: oauthClient,
    clientAuth,
    options,
  } = tokenEndpoint(spec, exchange.fields, client, limits);
  const callbackUrl = new URL(exchange.redirectUri);
  for (const [name, value] of Object.entries(exchange.callbackQuery))
    if (typeof value === 'string') callbackUrl.searchParams.set(name, value);
  // `state` was matched already: it is how the callback found this flow.
  const params = oauth.validateAuthResponse(as, oauthClient, callbackUrl, oauth.skipStateCheck);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    oauthClient,
    clientAuth,
    params,
    exchange.redirectUri,
    // No challenge went out without PKCE, so no verifier goes back (a strict server refuses one).
    spec.pkce === false ? oauth.nopkce : exchange.codeVerifier,
    { ...options(), additionalParameters: tokenParamsOf(spec, exchange.fields) },
  );
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    oauthClient,
    response,
    TOKEN_RESPONSE_OPTIONS,
  );
  const input: Record<string, unknown> = { ...exchange.fields, access_token: tokens.access_token };
  if (tokens.refresh_token) input.refresh_token = tokens.refresh_token;
  // A provider's lifetime is bounded: `expires_in: 1e300` must not refuse a working connection.
  if (tokens.expires_in) input.expires_in = Math.min(tokens.expires_in, MAX_TOKEN_LIFETIME_SECONDS);
  for (const field of spec.tokenResponseFields ?? [])
    if (typeof tokens[field.name] === 'string') input[field.name] = tokens[field.name];
  return input;
}

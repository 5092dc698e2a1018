/**
 * Acme HR's OAuth 2.0 authorization server, on oidc-provider: authorization code with PKCE
 * (required), refresh tokens, and short-lived opaque access tokens for the Acme HR API, so a
 * client has to refresh. The platform is registered as a confidential client.
 * @module
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider, { type Configuration } from 'oidc-provider';
import { MemoryAdapter } from './memory-adapter.js';
import { errorPage } from './pages.js';

export const API_RESOURCE_PATH = '/api';
export const API_SCOPES = ['employees:read', 'employees:write', 'company:read'] as const;
export const DEMO_ACCOUNT = { id: 'demo', username: 'demo', password: 'demo', name: 'Demo User' } as const;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface AuthorizationServerOptions {
  issuer: string;
  client: OAuthClient;
  /** Lifetime of access tokens, in seconds. */
  accessTokenTtl: number;
}

export function createAuthorizationServer(options: AuthorizationServerOptions): Provider {
  const resource = `${options.issuer}${API_RESOURCE_PATH}`;
  // Keys for the ID tokens this server signs; new each start, like the rest of its state.
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const configuration: Configuration = {
    adapter: MemoryAdapter,
    jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'ES256', kid: randomBytes(8).toString('hex') }] },
    clients: [
      {
        client_id: options.client.clientId,
        client_secret: options.client.clientSecret,
        redirect_uris: options.client.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    routes: {
      authorization: '/oauth/authorize',
      token: '/oauth/token',
      revocation: '/oauth/revoke',
      jwks: '/oauth/jwks',
      userinfo: '/oauth/userinfo',
    },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name'] },
    async findAccount(_ctx, id) {
      if (id !== DEMO_ACCOUNT.id) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, name: DEMO_ACCOUNT.name }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(
        String(out.error),
        out.error_description ? String(out.error_description) : undefined,
      );
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Every authorization is for the Acme HR API, with or without a `resource` parameter.
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: API_SCOPES.join(' '),
          audience: resource,
          accessTokenFormat: 'opaque',
          accessTokenTTL: options.accessTokenTtl,
        }),
      },
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: options.accessTokenTtl,
      RefreshToken: 30 * 24 * 60 * 60,
      Interaction: 60 * 60,
      Session: 24 * 60 * 60,
      Grant: 30 * 24 * 60 * 60,
      AuthorizationCode: 60,
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
  };
  return new Provider(options.issuer, configuration);
}

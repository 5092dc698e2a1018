/**
 * OAuth interoperability with an authorization server that is not the sandbox and does not
 * URL-decode HTTP Basic credentials (@node-oauth/oauth2-server): the authorization-code grant
 * through the connect pages (followed hop by hop, loopback only), the refresh grant and the
 * client-credentials grant, each with Basic (client_secret_basic) and body (client_secret_post)
 * client authentication, for a client id with `-` and a secret with `-._*`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCipher, keyIdOf } from '../src/crypto/credential-cipher.js';
import { parseSecretKeys } from '../src/crypto/secret-key.js';
import type { AuthMethodDefinition, IntegrationDefinition } from '../src/integrations/definition.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { refreshCredentials } from '../src/provider/token-refresh.js';
import { TEST_SECRET_KEY } from './support/databases.js';
import { type StrictOAuthServer, startStrictOAuthServer } from './support/strict-oauth-server.js';

const CLIENT = { clientId: 'interop-client', clientSecret: 'interop-secret_v1.0*x' };
const APP_ORIGIN = 'https://app.interop.test';
const cipher = new CredentialCipher(
  parseSecretKeys(TEST_SECRET_KEY).map((k) => ({ id: k.id || keyIdOf(k.key), key: k.key })),
);

function definitions(as: string): IntegrationDefinition[] {
  const me = [
    {
      id: 'me',
      request: { method: 'GET' as const, path: '/api/me' },
      context: { user: '$response.body.user' },
    },
  ];
  const bearer = { headers: { Authorization: 'Bearer {access_token}' } };
  return (['basic', 'body'] as const).flatMap((clientAuth) => [
    {
      name: `interop-code-${clientAuth}`,
      label: `Interop (code, ${clientAuth})`,
      baseUrl: as,
      authMethods: [
        {
          format: 'oauth2',
          label: 'Sign in',
          oauth2: {
            grant: 'authorization_code',
            authorizeUrl: `${as}/authorize`,
            tokenUrl: `${as}/token`,
            clientAuth,
          },
          apply: bearer,
        },
      ],
      postInstall: me,
    },
    {
      name: `interop-cc-${clientAuth}`,
      label: `Interop (client credentials, ${clientAuth})`,
      baseUrl: as,
      authMethods: [
        {
          format: 'oauth2_client_credentials',
          label: 'Client credentials',
          fields: [
            { name: 'client_id', label: 'Client ID' },
            { name: 'client_secret', label: 'Client secret', secret: true },
          ],
          oauth2: { grant: 'client_credentials', tokenUrl: `${as}/token`, clientAuth },
          apply: bearer,
        },
      ],
      postInstall: me,
    },
  ]);
}

describe('OAuth against an authorization server that does not decode Basic credentials', () => {
  let as: StrictOAuthServer;
  let platform: Platform;
  let base: string;
  let apiToken: string;

  beforeAll(async () => {
    as = await startStrictOAuthServer(CLIENT);
    const dir = mkdtempSync(join(tmpdir(), 'truto-interop-'));
    for (const def of definitions(as.url)) writeFileSync(join(dir, `${def.name}.json`), JSON.stringify(def));
    platform = await createPlatform({
      database: 'sqlite::memory:',
      secretKey: TEST_SECRET_KEY,
      integrations: [dir],
      oauthClients: { 'interop-code-basic': CLIENT, 'interop-code-body': CLIENT },
      logger: pino({ level: 'silent' }),
      webhooks: false,
    });
    base = (await platform.listen(0, '127.0.0.1')).url;
    as.setRedirectUri(`${base}/link/oauth/callback`);
    apiToken = (await platform.tenants.create({ name: 'Interop', allowedOrigins: [APP_ORIGIN] })).apiToken;
  });
  afterAll(async () => {
    await platform?.close();
    await as?.close();
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as Record<string, any>;
  };

  /** One hop, never followed: the last hop goes to the app's (non-loopback) origin. */
  const hop = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  };

  it('the server is strict: oauth4webapi’s own ClientSecretBasic (which escapes "-") is refused', async () => {
    const response = await oauth.clientCredentialsGrantRequest(
      { issuer: as.url, token_endpoint: `${as.url}/token` },
      { client_id: CLIENT.clientId },
      oauth.ClientSecretBasic(CLIENT.clientSecret),
      new URLSearchParams(),
      { [oauth.allowInsecureRequests]: true },
    );
    expect(response.status).toBe(401);
    expect(as.tokenRequests.at(-1)).toMatchObject({
      clientAuth: 'basic',
      receivedClientId: 'interop%2Dclient',
    });
  });

  it.each(['basic', 'body'] as const)(
    'authorization code through the connect pages, then a refresh, with %s client authentication',
    async (clientAuth) => {
      const integration = `interop-code-${clientAuth}`;
      const link = await admin('POST', '/link-tokens', {
        integration,
        externalId: `user-${clientAuth}`,
        redirectUri: `${APP_ORIGIN}/done`,
      });
      const start = await hop(`${base}/link/oauth/start?link_token=${encodeURIComponent(link.token)}`);
      expect(start.status).toBe(302);
      expect(start.location?.startsWith(`${as.url}/authorize?`)).toBe(true);
      const approved = await hop(start.location as string);
      expect(approved.status).toBe(302);
      expect(approved.location?.startsWith(`${base}/link/oauth/callback?`)).toBe(true);
      const finished = await hop(approved.location as string);
      expect(finished.location ?? finished.text).toMatch(/result=/);

      const exchange = as.tokenRequests.filter((r) => r.grantType === 'authorization_code').at(-1);
      expect(exchange).toEqual({
        grantType: 'authorization_code',
        clientAuth,
        receivedClientId: 'interop-client',
        status: 200,
      });
      const { data } = await admin('GET', `/integrated-accounts?integration=${integration}`);
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({ status: 'active', context: { user: 'user-1' } });

      // The refresh grant with the stored refresh token, same client authentication.
      const row = await platform.database.db
        .selectFrom('integrated_accounts')
        .select('credentials')
        .where('id', '=', data[0].id)
        .executeTakeFirstOrThrow();
      const credentials = cipher.openJson<Record<string, string>>(row.credentials as string, data[0].id);
      const method = platform.catalogue.get(integration)?.authMethods[0] as AuthMethodDefinition;
      const refreshed = await refreshCredentials(method, credentials, CLIENT);
      expect(refreshed.access_token).not.toBe(credentials.access_token);
      expect(as.tokenRequests.at(-1)).toEqual({
        grantType: 'refresh_token',
        clientAuth,
        receivedClientId: 'interop-client',
        status: 200,
      });
    },
  );

  it.each(['basic', 'body'] as const)(
    'client credentials with %s client authentication',
    async (clientAuth) => {
      const account = await admin('POST', '/integrated-accounts', {
        integration: `interop-cc-${clientAuth}`,
        credentials: { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret },
      });
      expect(account).toMatchObject({ status: 'active', context: { user: 'user-1' } });
      expect(as.tokenRequests.at(-1)).toEqual({
        grantType: 'client_credentials',
        clientAuth,
        receivedClientId: 'interop-client',
        status: 200,
      });
    },
  );
});

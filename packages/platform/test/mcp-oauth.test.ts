import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialCipher, keyIdOf } from '../src/crypto/credential-cipher.js';
import { parseSecretKeys } from '../src/crypto/secret-key.js';
import { type ConnectWorld, connectWithOAuth, startConnectWorld } from './support/connect-world.js';
import { TEST_SECRET_KEY } from './support/databases.js';
import { v2Client } from './support/mcp-clients.js';

const cipher = new CredentialCipher(
  parseSecretKeys(TEST_SECRET_KEY).map((k) => ({ id: k.id || keyIdOf(k.key), key: k.key })),
);

describe('MCP tools on an OAuth account: refresh through a tool call, and reconnect needed', () => {
  let w: ConnectWorld;
  let refreshes = 0;
  beforeAll(async () => {
    // Six-second access tokens, due for refresh after three (as in token-refresh.test.ts).
    w = await startConnectWorld('sqlite', { accessTokenTtl: 6 });
    w.sandbox.provider.on('grant.success', (ctx: { oidc: { params?: { grant_type?: unknown } } }) => {
      if (ctx.oidc.params?.grant_type === 'refresh_token') refreshes++;
    });
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  const expire = () => new Promise((resolve) => setTimeout(resolve, 3200));
  const mcpServer = async (accountId: string) => {
    const res = await fetch(`${w.platformUrl}/integrated-accounts/${accountId}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.apiToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return ((await res.json()) as { mcpUrl: string }).mcpUrl;
  };

  it('a tool call after the access token is due refreshes it and succeeds', async () => {
    const id = await connectWithOAuth(w);
    const client = await v2Client(await mcpServer(id));
    await expire();
    refreshes = 0;
    const result = await client.callTool({ name: 'list_employees', arguments: { limit: 1 } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 200 });
    expect(refreshes).toBe(1);
    await client.close();
  });

  it('a refused refresh answers isError account_unusable, and the account is marked for reconnection', async () => {
    const id = await connectWithOAuth(w);
    const client = await v2Client(await mcpServer(id));
    const row = await w.platform.database.db
      .selectFrom('integrated_accounts')
      .select('credentials')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const { refresh_token } = cipher.openJson<{ refresh_token: string }>(row.credentials as string, id);
    const issuer = w.platform.catalogue
      .get('acmehr')
      ?.authMethods[1]?.oauth2?.tokenUrl.replace('/oauth/token', '') as string;
    const revoked = await fetch(`${issuer}/oauth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({
        token: refresh_token,
        client_id: 'truto-platform',
        client_secret: 'truto-sandbox-client-secret',
      }),
    });
    expect(revoked.status).toBe(200);
    await expire();
    const first = await client.callTool({ name: 'get_company', arguments: {} });
    expect(first.isError).toBe(true);
    expect(first.structuredContent).toMatchObject({ error: 'account_unusable' });
    expect((first.structuredContent as { message: string }).message).toMatch(/reconnected/);
    // From now on the account's status says so before anything is sent.
    const next = await client.callTool({ name: 'get_company', arguments: {} });
    expect((next.structuredContent as { message: string }).message).toMatch(/status "error".*reconnect/);
    await client.close();
  });
});

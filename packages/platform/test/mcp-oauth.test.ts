import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectWorld,
  connectWithOAuth,
  revokeRefreshTokenAtSandbox,
  startConnectWorld,
} from './support/connect-world.js';
import { v2Client } from './support/mcp-clients.js';

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
    expect(await revokeRefreshTokenAtSandbox(w, id)).toBe(200);
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

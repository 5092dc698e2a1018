import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '../src/logger.js';
import { v1Client, v2Client } from './support/mcp-clients.js';
import { type McpWorld, startMcpWorld } from './support/mcp-world.js';

/** A bare JSON-RPC POST, as a browser or curl would send it. */
const rpc = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    }),
  });

const toolNames = async (url: string, headers: Record<string, string> = {}) => {
  const client = await v2Client(url, headers);
  const { tools } = await client.listTools();
  await client.close();
  return tools.map((t) => t.name);
};

describe('MCP controls: filters, groups, additional auth, Origin, expiry, revocation', () => {
  let w: McpWorld;
  const logs: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    w = await startMcpWorld('sqlite', {
      logger: pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination),
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('allowedMethods takes exact names and the groups read and write', async () => {
    const exact = await w.mcpServer({ allowedMethods: ['get_company', 'create_employee'] });
    expect(await toolNames(exact.mcpUrl)).toEqual(['create_employee', 'get_company']);
    const read = await w.mcpServer({ allowedMethods: ['read'] });
    expect(await toolNames(read.mcpUrl)).toEqual(['list_employees', 'get_employee', 'get_company']);
    const write = await w.mcpServer({ allowedMethods: ['write'] });
    expect(await toolNames(write.mcpUrl)).toEqual(['create_employee']);
    const mixed = await w.mcpServer({ allowedMethods: ['write', 'get_company'] });
    expect(await toolNames(mixed.mcpUrl)).toEqual(['create_employee', 'get_company']);

    // A tool outside the filter cannot be called either.
    const client = await v2Client(read.mcpUrl);
    await expect(
      client.callTool({ name: 'create_employee', arguments: { firstName: 'A', lastName: 'B' } }),
    ).rejects.toThrow(/Unknown tool/);
    await client.close();

    const bad = await w.admin('POST', `/integrated-accounts/${w.accountId}/mcp`, {
      allowedMethods: ['delete_everything'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('unknown_method');
  });

  it('requireAdditionalAuth demands the same tenant’s API token', async () => {
    const { mcpUrl } = await w.mcpServer({ requireAdditionalAuth: true });
    const none = await rpc(mcpUrl);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ error: 'unauthorized' });
    const other = await w.platform.tenants.create({ name: 'Other' });
    const wrongTenant = await rpc(mcpUrl, { authorization: `Bearer ${other.apiToken}` });
    expect(wrongTenant.status).toBe(401);
    expect((await rpc(mcpUrl, { authorization: 'Bearer tc_nonsense' })).status).toBe(401);
    await expect(v1Client(mcpUrl)).rejects.toThrow();

    const headers = { authorization: `Bearer ${w.apiToken}` };
    expect(await toolNames(mcpUrl, headers)).toHaveLength(4);
    const old = await v1Client(mcpUrl, headers);
    const result = await old.callTool({ name: 'get_company', arguments: {} });
    expect(result.isError).toBeFalsy();
    await old.close();
  });

  it('an Origin must be the platform’s own or one of the tenant’s allowed origins (403 otherwise)', async () => {
    const { mcpUrl } = await w.mcpServer();
    const evil = await rpc(mcpUrl, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: 'origin_not_allowed' });
    // A rebinding page on localhost with another port is another origin.
    expect((await rpc(mcpUrl, { origin: 'http://localhost:1' })).status).toBe(403);
    expect((await rpc(mcpUrl, { origin: new URL(w.baseUrl).origin })).status).toBe(200);
    expect((await rpc(mcpUrl, { origin: 'https://app.saas.test' })).status).toBe(200);
    // No Origin (a non-browser client) is fine.
    expect((await rpc(mcpUrl)).status).toBe(200);
  });

  it('expiresAt: in the past is a 400; once passed, the URL answers 404', async () => {
    const past = await w.admin('POST', `/integrated-accounts/${w.accountId}/mcp`, {
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const server = await w.mcpServer({ expiresAt });
    expect(server.expiresAt).toBe(expiresAt);
    expect((await rpc(server.mcpUrl)).status).toBe(200);
    // Move the expiry into the past rather than waiting for it.
    await w.platform.database.db
      .updateTable('mcp_servers')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', server.id)
      .execute();
    const gone = await rpc(server.mcpUrl);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: 'not_found' });
    const listed = await w.admin('GET', `/integrated-accounts/${w.accountId}/mcp`);
    expect(listed.body.data.map((s: { id: string }) => s.id)).not.toContain(server.id);
  });

  it('revoking a server: listed until then, 404 at once after, never shows its URL', async () => {
    const server = await w.mcpServer({ allowedMethods: ['read'] });
    const listed = await w.admin('GET', `/integrated-accounts/${w.accountId}/mcp`);
    expect(listed.status).toBe(200);
    const entry = listed.body.data.find((s: { id: string }) => s.id === server.id);
    expect(entry).toMatchObject({ id: server.id, allowedMethods: ['read'], requireAdditionalAuth: false });
    expect(JSON.stringify(listed.body)).not.toContain('tc_mcp_');
    const client = await v2Client(server.mcpUrl);

    const revoked = await w.admin('DELETE', `/integrated-accounts/${w.accountId}/mcp/${server.id}`);
    expect(revoked.status).toBe(204);
    expect((await rpc(server.mcpUrl)).status).toBe(404);
    // A client that connected before is refused on its next request.
    await expect(client.listTools()).rejects.toThrow();
    await client.close();
    expect((await w.admin('DELETE', `/integrated-accounts/${w.accountId}/mcp/${server.id}`)).status).toBe(
      404,
    );
    const other = await w.platform.tenants.create({ name: 'Other' });
    expect(
      (await w.admin('GET', `/integrated-accounts/${w.accountId}/mcp`, undefined, other.apiToken)).status,
    ).toBe(404);
  });

  it('an account in error says so instead of calling the provider', async () => {
    const { mcpUrl } = await w.mcpServer();
    await w.platform.database.db
      .updateTable('integrated_accounts')
      .set({ status: 'error', status_reason: 'reconnect needed: refresh token revoked' })
      .where('id', '=', w.accountId)
      .execute();
    try {
      const client = await v2Client(mcpUrl);
      expect((await client.listTools()).tools).toHaveLength(4);
      const result = await client.callTool({ name: 'get_company', arguments: {} });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toMatchObject({ error: 'account_unusable' });
      expect((result.structuredContent as { message: string }).message).toMatch(/reconnect/);
      await client.close();
    } finally {
      await w.platform.database.db
        .updateTable('integrated_accounts')
        .set({ status: 'active', status_reason: null })
        .where('id', '=', w.accountId)
        .execute();
    }
  });

  it('never logs a secret', () => {
    const all = logs.join('');
    expect(all).toContain('/mcp/[redacted]');
    expect(all).not.toContain('tc_mcp_');
  });
});

describe('MCP: deleting the account revokes its servers; the rate limit', () => {
  let w: McpWorld;
  beforeAll(async () => {
    w = await startMcpWorld('sqlite', { mcp: { rateLimit: { limit: 3, windowMs: 60_000 } } });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('a server over its rate limit answers 429 with Retry-After; others are not affected', async () => {
    const a = await w.mcpServer();
    const b = await w.mcpServer();
    for (let i = 0; i < 3; i++) expect((await rpc(a.mcpUrl)).status).toBe(200);
    const limited = await rpc(a.mcpUrl);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
    expect((await rpc(b.mcpUrl)).status).toBe(200);
  });

  it('deleting the account makes every one of its URLs 404', async () => {
    const one = await w.mcpServer();
    const two = await w.mcpServer({ requireAdditionalAuth: true });
    expect((await w.admin('DELETE', `/integrated-accounts/${w.accountId}`)).status).toBe(204);
    expect((await rpc(one.mcpUrl)).status).toBe(404);
    expect((await rpc(two.mcpUrl, { authorization: `Bearer ${w.apiToken}` })).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v1Client, v2Client } from './support/mcp-clients.js';
import { type McpWorld, startMcpWorld } from './support/mcp-world.js';

describe('MCP serving at /mcp/{secret} with the official clients of both eras', () => {
  let w: McpWorld;
  let mcpUrl: string;

  beforeAll(async () => {
    w = await startMcpWorld('sqlite');
    mcpUrl = (await w.mcpServer()).mcpUrl;
  });
  afterAll(async () => {
    await w?.close();
  });

  it('SDK v2 client pinned to 2026-07-28 lists tools with schemas and annotations, and calls one', async () => {
    const client = await v2Client(mcpUrl);
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'list_employees',
      'get_employee',
      'create_employee',
      'get_company',
    ]);
    const list = tools.find((t) => t.name === 'list_employees');
    expect(list?.annotations).toMatchObject({ readOnlyHint: true });
    expect(list?.inputSchema).toMatchObject({ type: 'object', properties: { page: {}, limit: {} } });
    expect(list?.description).toMatch(/page/);
    const create = tools.find((t) => t.name === 'create_employee');
    expect(create?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(create?.inputSchema.required).toEqual(['firstName', 'lastName']);
    for (const t of tools) expect(t.name).toMatch(/^[a-z0-9_]{1,64}$/);

    const result = await client.callTool({ name: 'get_company', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 200, data: { id: 'co_acme' } });
    const text = (result.content as Array<{ type: string; text: string }>)[0];
    expect(JSON.parse(text?.text ?? '')).toEqual(result.structuredContent);
    await client.close();
  });

  it('SDK v1 client (2025-era initialize) lists and calls tools with pagination arguments', async () => {
    const client = await v1Client(mcpUrl);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(4);
    const result = await client.callTool({ name: 'list_employees', arguments: { page: 1, limit: 2 } });
    expect(result.structuredContent).toMatchObject({ status: 200, data: { page: 1, limit: 2 } });
    expect((result.structuredContent as { data: { data: unknown[] } }).data.data).toHaveLength(2);
    // The answer says how to get the next page, and passing that back gets it.
    const next = (result.structuredContent as { next?: Record<string, unknown> }).next;
    expect(next).toEqual({ page: 2 });
    const second = await client.callTool({ name: 'list_employees', arguments: { ...next, limit: 2 } });
    expect(second.structuredContent).toMatchObject({ status: 200, data: { page: 2, limit: 2 } });
    await client.close();
  });

  it('a create through MCP is then listed by the sandbox', async () => {
    const client = await v2Client(mcpUrl);
    const created = await client.callTool({
      name: 'create_employee',
      arguments: { firstName: 'Ada', lastName: 'Lovelace', title: 'Engineer' },
    });
    expect(created.isError).toBeFalsy();
    const id = (created.structuredContent as { status: number; data: { id: string } }).data.id;
    expect(created.structuredContent).toMatchObject({ status: 201 });
    // The sandbox's own REST API lists it.
    const res = await fetch(`${w.sandboxUrl}/api/employees?limit=100`, {
      headers: { 'x-api-key': 'sandbox-demo-key' },
    });
    const body = (await res.json()) as { data: Array<{ id: string; firstName: string }> };
    expect(body.data.find((e) => e.id === id)).toMatchObject({ firstName: 'Ada' });
    // And so does a 2025-era client through MCP.
    const old = await v1Client(mcpUrl);
    const got = await old.callTool({ name: 'get_employee', arguments: { id } });
    expect(got.structuredContent).toMatchObject({ status: 200, data: { id, lastName: 'Lovelace' } });
    await old.close();
    await client.close();
  });

  it('a provider error is an isError result with status and short message', async () => {
    const client = await v2Client(mcpUrl);
    const result = await client.callTool({ name: 'get_employee', arguments: { id: 'nobody' } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: 'provider_error', status: 404 });
    expect((result.structuredContent as { message: string }).message).toMatch(/404.*No such employee/);
    const bad = await client.callTool({ name: 'list_employees', arguments: { page: 1, limit: 100 } });
    expect(bad.isError).toBeFalsy();
    await client.close();
  });

  it('unknown tools and bad arguments are protocol errors (both eras)', async () => {
    for (const connect of [v2Client, v1Client]) {
      const client = await connect(mcpUrl);
      await expect(client.callTool({ name: 'drop_database', arguments: {} })).rejects.toThrow(
        /Unknown tool "drop_database"/,
      );
      await expect(client.callTool({ name: 'get_employee', arguments: {} })).rejects.toThrow(
        /Invalid arguments for get_employee/,
      );
      await expect(client.callTool({ name: 'list_employees', arguments: { limit: 'many' } })).rejects.toThrow(
        /Invalid arguments/,
      );
      await client.close();
    }
  });

  it('each tool call leaves an audit record without arguments, listable per account', async () => {
    const { mcpUrl: url, id: serverId } = await w.mcpServer();
    const client = await v2Client(url);
    await client.callTool({ name: 'get_company', arguments: {} });
    await client.callTool({ name: 'get_employee', arguments: { id: 'secret-looking-arg' } });
    await client.close();
    const { status, body } = await w.admin(
      'GET',
      `/integrated-accounts/${w.accountId}/mcp-tool-calls?limit=100`,
    );
    expect(status).toBe(200);
    const mine = body.data.filter((r: { mcpServerId: string }) => r.mcpServerId === serverId);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({ tool: 'get_employee', outcome: 'provider_error', providerStatus: 404 });
    expect(mine[1]).toMatchObject({ tool: 'get_company', outcome: 'ok', providerStatus: 200 });
    expect(typeof mine[0].durationMs).toBe('number');
    expect(JSON.stringify(body)).not.toContain('secret-looking-arg');
    const rows = await w.platform.database.db.selectFrom('mcp_tool_calls').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('secret-looking-arg');
  });

  it('answers JSON 404 for an unknown secret, without logging it', async () => {
    const res = await fetch(`${w.baseUrl}/mcp/tc_mcp_nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  it('malformed requests get HTTP or JSON-RPC errors, never a crash', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body,
      });
    const garbage = await post('{not json');
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
    const text = await post('{"jsonrpc":"2.0","id":1,"method":"ping"}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const huge = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { x: 'y'.repeat(2_000_000) } }),
    );
    expect(huge.status).toBe(413);
    const notRpc = await post('[]');
    expect(notRpc.status).toBeLessThan(500);
    const get = await fetch(mcpUrl, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    const del = await fetch(mcpUrl, { method: 'DELETE' });
    expect(del.status).toBe(405);
    // Still serving afterwards.
    const client = await v2Client(mcpUrl);
    expect((await client.listTools()).tools).toHaveLength(4);
    await client.close();
  });
});

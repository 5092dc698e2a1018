import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  const v2 = async (url = mcpUrl, headers: Record<string, string> = {}) => {
    const client = new Client(
      { name: 'test-v2', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
    return client;
  };
  const v1 = async (url = mcpUrl, headers: Record<string, string> = {}) => {
    const client = new ClientV1({ name: 'test-v1', version: '1.0.0' });
    await client.connect(new TransportV1(new URL(url), { requestInit: { headers } }));
    return client;
  };

  it('SDK v2 client pinned to 2026-07-28 lists and calls tools', async () => {
    const client = await v2();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'list_employees',
      'get_employee',
      'create_employee',
      'get_company',
    ]);
    const result = await client.callTool({ name: 'get_company', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 200, data: { id: 'co_acme' } });
    await client.close();
  });

  it('SDK v1 client (2025-era initialize) lists and calls tools', async () => {
    const client = await v1();
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(4);
    const result = await client.callTool({ name: 'list_employees', arguments: { page: 1, limit: 2 } });
    expect(result.structuredContent).toMatchObject({ status: 200, data: { page: 1, limit: 2 } });
    await client.close();
  });
});

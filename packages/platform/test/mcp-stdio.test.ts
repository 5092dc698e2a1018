import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpWorld, startMcpWorld } from './support/mcp-world.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const bridgeArgs = (url: string, headers: string[] = []) => [
  CLI,
  'mcp-stdio',
  url,
  ...headers.flatMap((h) => ['--header', h]),
];

describe('truto-platform mcp-stdio: the SDK stdio clients through the bridge', () => {
  let w: McpWorld;
  beforeAll(async () => {
    w = await startMcpWorld('sqlite');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('an SDK v1 stdio client (2025-era) lists and calls tools, with the tenant token as a header', async () => {
    const { mcpUrl } = await w.mcpServer({ transport: 'stdio', requireAdditionalAuth: true });
    const client = new ClientV1({ name: 'stdio-v1', version: '1.0.0' });
    await client.connect(
      new StdioV1({
        command: process.execPath,
        args: bridgeArgs(mcpUrl, [`Authorization: Bearer ${w.apiToken}`]),
        stderr: 'pipe',
      }),
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('create_employee');
    const created = await client.callTool({
      name: 'create_employee',
      arguments: { firstName: 'Linus', lastName: 'Stdio' },
    });
    expect(created.structuredContent).toMatchObject({ status: 201, data: { firstName: 'Linus' } });
    await client.close();
  });

  it('an SDK v2 stdio client pinned to 2026-07-28 works through it too', async () => {
    const { mcpUrl } = await w.mcpServer({ transport: 'stdio', allowedMethods: ['read'] });
    const client = new Client(
      { name: 'stdio-v2', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: bridgeArgs(mcpUrl), stderr: 'pipe' }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual([
      'list_employees',
      'get_employee',
      'get_company',
    ]);
    const result = await client.callTool({ name: 'get_company', arguments: {} });
    expect(result.structuredContent).toMatchObject({ status: 200, data: { id: 'co_acme' } });
    await client.close();
  });

  it('a refused URL is a JSON-RPC error on stdio, not a hang', async () => {
    const { mcpUrl, id } = await w.mcpServer({ transport: 'stdio' });
    expect((await w.admin('DELETE', `/integrated-accounts/${w.accountId}/mcp/${id}`)).status).toBe(204);
    const client = new ClientV1({ name: 'stdio-v1', version: '1.0.0' });
    await expect(
      client.connect(new StdioV1({ command: process.execPath, args: bridgeArgs(mcpUrl), stderr: 'pipe' })),
    ).rejects.toThrow(/refused/);
    await client.close();
  });
});

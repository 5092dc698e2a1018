import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { v2Client } from './support/mcp-clients.js';
import { json } from './support/provider-server.js';

describe('MCP tool results from a provider’s answers, through the same outbound path', () => {
  let h: Harness;
  let mcpUrl: string;
  beforeAll(async () => {
    h = await startHarness('sqlite');
    const account = await h.call('createIntegratedAccount', 'POST', '/integrated-accounts', {
      body: { integration: 'plain', credentials: { api_key: 'k-123' } },
    });
    const server = await h.call('createMcpServer', 'POST', `/integrated-accounts/${account.body.id}/mcp`, {
      body: {},
    });
    mcpUrl = server.body.mcpUrl;
  });
  afterAll(async () => {
    await h?.close();
  });

  const ping = async () => {
    const client = await v2Client(mcpUrl);
    try {
      return await client.callTool({ name: 'ping', arguments: {} });
    } finally {
      await client.close();
    }
  };

  it('sends the account’s credentials and hands a Link rel="next" to the model as next', async () => {
    h.provider.route('GET /ping', (_req, res) => {
      res.setHeader('Link', `<${h.provider.url}/ping?cursor=c2>; rel="next"`);
      json(res, 200, [{ id: 1 }]);
    });
    const result = await ping();
    expect(result.structuredContent).toEqual({
      status: 200,
      data: [{ id: 1 }],
      next: { url: `${h.provider.url}/ping?cursor=c2`, cursor: 'c2' },
    });
    expect(h.provider.requests.at(-1)?.headers.authorization).toBe('Bearer k-123');
  });

  it('a provider 5xx is isError with its status and its own short message', async () => {
    h.provider.route('GET /ping', (_req, res) => json(res, 503, { message: 'down for maintenance' }));
    const result = await ping();
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({
      error: 'provider_error',
      status: 503,
      message: expect.stringContaining('503: down for maintenance'),
    });
  });

  it('an answer over the byte cap is isError, not read, and the endpoint keeps serving', async () => {
    h.provider.route('GET /ping', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`[${'"x",'.repeat(400_000)}"x"]`);
    });
    const result = await ping();
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ error: 'provider_response_too_large' });
    h.provider.route('GET /ping', (_req, res) => json(res, 200, { ok: true }));
    expect((await ping()).structuredContent).toMatchObject({ status: 200, data: { ok: true } });
  });
});

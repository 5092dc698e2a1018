import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { v2Client } from './support/mcp-clients.js';
import { json } from './support/provider-server.js';

/**
 * What a definition declares about its provider's answers, seen by a model through MCP: the
 * declared paging as `next`, throttling retried or reported with when to retry, failures in 2xx
 * bodies as isError, and a next-page URL argument for another host refused as bad arguments.
 */
describe('MCP tools and the answers a definition declares', () => {
  let h: Harness;
  let mcpUrl: string;
  beforeAll(async () => {
    h = await startHarness('sqlite');
    const account = await h.call('createIntegratedAccount', 'POST', '/integrated-accounts', {
      body: { integration: 'declared', credentials: { api_key: 'k-9' } },
    });
    const server = await h.call('createMcpServer', 'POST', `/integrated-accounts/${account.body.id}/mcp`, {
      body: {},
    });
    mcpUrl = server.body.mcpUrl;
  });
  afterAll(async () => {
    await h?.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const client = await v2Client(mcpUrl);
    try {
      return await client.callTool({ name, arguments: args });
    } finally {
      await client.close();
    }
  };
  const requestsTo = (path: string) => h.provider.requests.filter((r) => r.url.split('?')[0] === path);

  it('hands the Link header’s cursor back as next {cursor}, and the next call sends only that cursor', async () => {
    h.provider.route('GET /declared/items', (req, res) => {
      if (!req.url.includes('cursor=')) {
        res.setHeader('Link', `<${h.provider.url}/declared/items?cursor=c2>; rel="next"`);
      }
      json(res, 200, [{ id: req.url.includes('cursor=') ? 2 : 1 }]);
    });
    const first = await call('list_items', { per_page: 1 });
    expect(first.structuredContent).toEqual({ status: 200, data: [{ id: 1 }], next: { cursor: 'c2' } });
    const second = await call('list_items', { cursor: 'c2' });
    expect(second.structuredContent).toEqual({ status: 200, data: [{ id: 2 }] });
    expect(
      requestsTo('/declared/items')
        .map((r) => r.url)
        .slice(-2),
    ).toEqual(['/declared/items?per_page=1', '/declared/items?cursor=c2']);
  });

  it('refuses a next-page URL on another host as invalid arguments, without calling anyone', async () => {
    const before = h.provider.requests.length;
    const client = await v2Client(mcpUrl);
    try {
      const refused = await client
        .callTool({ name: 'list_items', arguments: { cursor: 'https://elsewhere.example/items?cursor=x' } })
        .then(
          (r) => ({ result: r, error: undefined }),
          (e: unknown) => ({ result: undefined, error: e as { code?: number; message?: string } }),
        );
      // Either shape is a clear, non-internal refusal; this server answers the protocol error.
      expect(refused.result).toBeUndefined();
      expect(refused.error?.code).toBe(-32602);
      expect(refused.error?.message).toMatch(
        /Invalid arguments for list_items: the next-page URL must stay on http:\/\/127\.0\.0\.1/,
      );
    } finally {
      await client.close();
    }
    expect(h.provider.requests.length).toBe(before);
  });

  it('retries a throttled call once after its short Retry-After', async () => {
    let seen = 0;
    h.provider.route('POST /declared/items/search', (req, res) => {
      seen += 1;
      if (seen === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      json(res, 200, { ok: true, items: [JSON.parse(req.body)] });
    });
    const result = await call('search_items', { q: 'ada' });
    expect(result.structuredContent).toEqual({ status: 200, data: { ok: true, items: [{ query: 'ada' }] } });
    expect(seen).toBe(2);
  });

  it('a throttled call with a long wait is isError saying when to retry', async () => {
    let seen = 0;
    h.provider.route('POST /declared/items/search', (_req, res) => {
      seen += 1;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '42' });
      res.end('{"ok":false,"error":"ratelimited"}');
    });
    const result = await call('search_items', { q: 'ada' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({
      error: 'provider_error',
      status: 429,
      message: 'Declared answered 429: ratelimited (rate limited: retry after 42 s)',
      retryAfterSeconds: 42,
    });
    expect(seen).toBe(1);
  });

  it('a throttled call that names no wait is isError saying to retry later', async () => {
    h.provider.route('POST /declared/items/search', (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end('{"ok":false,"error":"ratelimited"}');
    });
    const result = await call('search_items', { q: 'ada' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({
      error: 'provider_error',
      status: 429,
      message: 'Declared answered 429: ratelimited (rate limited: retry later)',
    });
  });

  it('a 200 whose body the definition declares a throttle is isError saying to retry later', async () => {
    h.provider.route('POST /declared/items/search', (_req, res) =>
      json(res, 200, { ok: true, notice: 'slow_down', items: [] }),
    );
    const result = await call('search_items', { q: 'ada' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({
      error: 'provider_error',
      status: 200,
      message: expect.stringContaining('(rate limited: retry later)'),
    });
  });

  it('hands a 201’s Location to the model, where a provider puts the new record’s id', async () => {
    h.provider.route('POST /declared/items', (_req, res) => {
      res.writeHead(201, { location: `${h.provider.url}/declared/items/417` });
      res.end();
    });
    const result = await call('create_item', { name: 'Ada' });
    expect(result.structuredContent).toEqual({
      status: 201,
      data: null,
      location: `${h.provider.url}/declared/items/417`,
    });
    expect(JSON.parse(requestsTo('/declared/items').at(-1)?.body ?? '')).toEqual({ name: 'Ada' });
  });

  it('a 200 whose body reports a failure is isError with the provider’s message', async () => {
    h.provider.route('POST /declared/items/search', (_req, res) =>
      json(res, 200, { ok: false, error: 'channel_not_found' }),
    );
    const result = await call('search_items', { q: 'x' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({
      error: 'provider_error',
      status: 200,
      message: 'Declared answered 200 with an error: channel_not_found',
    });
  });
});

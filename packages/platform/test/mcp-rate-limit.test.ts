import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../src/platform.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';
import { type McpWorld, startMcpWorld } from './support/mcp-world.js';

const ping = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
  });

describe('the MCP rate limit is one limit across platforms sharing a PostgreSQL database', () => {
  let database: TestDatabase;
  let w: McpWorld;
  let second: Platform;
  let secondUrl: string;
  const rateLimit = { limit: 4, windowMs: 60_000 };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    w = await startMcpWorld('postgres', { database, mcp: { rateLimit } });
    second = await createPlatform({
      database: database.url,
      secretKey: TEST_SECRET_KEY,
      sandboxUrl: w.sandboxUrl,
      logger: pino({ level: 'silent' }),
      webhooks: false,
      mcp: { rateLimit },
    });
    secondUrl = (await second.listen(0, '127.0.0.1')).url;
  });
  afterAll(async () => {
    await second?.close();
    await w?.close();
    await database?.dispose();
  });

  it('requests spread over two platforms add up to one limit per server', async () => {
    const { mcpUrl } = await w.mcpServer();
    const onSecond = mcpUrl.replace(w.baseUrl, secondUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await ping(i % 2 === 0 ? mcpUrl : onSecond)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const limited = await ping(onSecond);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await ping(mcpUrl)).status).toBe(429);
  });
});

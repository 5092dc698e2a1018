/**
 * Rate limits of the connect pages behind a reverse proxy: with `trustProxy` the budget is the
 * client's (from X-Forwarded-For), without it X-Forwarded-For is ignored and the budget is the
 * connecting address's. Every connect route is limited, the page at `linkUrl` included.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';

const opened: Array<{ platform: Platform; database: TestDatabase }> = [];

async function start(trustProxy?: number): Promise<string> {
  const database = await createTestDatabase('sqlite');
  const platform = await createPlatform({
    database: database.url,
    secretKey: TEST_SECRET_KEY,
    logger: pino({ level: 'silent' }),
    webhooks: false,
    ...(trustProxy === undefined ? {} : { trustProxy }),
  });
  opened.push({ platform, database });
  return (await platform.listen(0, '127.0.0.1')).url;
}

afterEach(async () => {
  for (const { platform, database } of opened.splice(0)) {
    await platform.close();
    await database.dispose();
  }
});

/** Posts the connect form from a client (by X-Forwarded-For) until it is limited; the count. */
async function postsUntilLimited(url: string, client: string, max: number): Promise<number> {
  for (let i = 1; i <= max; i++) {
    const res = await fetch(`${url}/link/connect`, {
      method: 'POST',
      headers: { 'x-forwarded-for': client },
      body: new URLSearchParams({ link_token: 'lt_unknown', csrf: 'x' }),
    });
    await res.arrayBuffer();
    if (res.status === 429) return i;
  }
  return Number.POSITIVE_INFINITY;
}

describe('connect page rate limits behind a proxy', () => {
  it('with trust proxy 1, two clients behind the proxy have separate budgets', async () => {
    const url = await start(1);
    expect(await postsUntilLimited(url, '203.0.113.1', 40)).toBe(31);
    // Another client through the same proxy still has its whole budget.
    expect(await postsUntilLimited(url, '203.0.113.2', 1)).toBe(Number.POSITIVE_INFINITY);
    expect(await postsUntilLimited(url, '203.0.113.1', 1)).toBe(1);
  });

  it('without trust proxy, X-Forwarded-For is ignored: one budget for the connecting address', async () => {
    const url = await start();
    expect(await postsUntilLimited(url, '203.0.113.1', 40)).toBe(31);
    expect(await postsUntilLimited(url, '203.0.113.2', 1)).toBe(1);
  });

  it('limits the page at linkUrl, the OAuth pages and the status channel too', async () => {
    const url = await start();
    const until = async (path: string, init: RequestInit, max: number) => {
      for (let i = 1; i <= max; i++) {
        const res = await fetch(`${url}${path}`, init);
        await res.arrayBuffer();
        if (res.status === 429) return i;
      }
      return Number.POSITIVE_INFINITY;
    };
    expect(await until('/link/connect?link_token=lt_unknown', {}, 80)).toBe(61);
    expect(await until('/link/oauth/start?link_token=lt_unknown', {}, 40)).toBe(31);
    expect(await until('/link/oauth/callback?state=unknown', {}, 40)).toBe(31);
    expect(await until('/link/status', {}, 320)).toBe(301);
    expect(await until('/link/status', { method: 'OPTIONS' }, 320)).toBe(301);
  });

  it('refuses a trust proxy value Express cannot use', async () => {
    const database = await createTestDatabase('sqlite');
    try {
      await expect(
        createPlatform({
          database: database.url,
          secretKey: TEST_SECRET_KEY,
          logger: pino({ level: 'silent' }),
          trustProxy: ['10.0.0.1', 'not-an-address'],
        }),
      ).rejects.toBeInstanceOf(ConfigError);
    } finally {
      await database.dispose();
    }
  });
});

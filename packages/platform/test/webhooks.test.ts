import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLocalJWKSet } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../src/platform.js';
import { verifyWebhook } from '../src/webhooks/webhook-signature.js';
import {
  createTestDatabase,
  DATABASE_KINDS,
  TEST_SECRET_KEY,
  type TestDatabase,
} from './support/databases.js';
import { type ProviderServer, startProviderServer } from './support/provider-server.js';
import { writeTestIntegrations } from './support/test-integrations.js';

interface Received {
  body: string;
  signature: string;
  eventId: string;
}

/** A tenant's webhook endpoint; `answer` decides each response. */
async function startReceiver(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  const received: Received[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({
        body,
        signature: String(req.headers['truto-signature']),
        eventId: String(req.headers['truto-event-id']),
      });
      answer(n++, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`;
  return {
    url,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each(DATABASE_KINDS)('webhooks on %s', (kind) => {
  let database: TestDatabase;
  let provider: ProviderServer;
  let integrations: string;
  const fast = { pollMs: 30, baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 300 };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    provider = await startProviderServer();
    integrations = writeTestIntegrations(provider.url);
  });
  afterAll(async () => {
    await provider?.close();
    await database?.dispose();
  });

  async function platformWith(webhooks: false | typeof fast): Promise<Platform> {
    return createPlatform({
      database: database.url,
      secretKey: TEST_SECRET_KEY,
      publicUrl: 'http://platform.test',
      integrations: [integrations],
      logger: pino({ level: 'silent' }),
      webhooks,
    });
  }

  async function verify(platform: Platform, r: Received, tenantId: string, currentDate?: Date) {
    const jwks = createLocalJWKSet(await platform.signingKeys.jwks());
    return verifyWebhook(r.body, r.signature, jwks, {
      issuer: 'http://platform.test',
      tenantId,
      ...(currentDate ? { currentDate } : {}),
    });
  }

  it('delivers signed created/active/deleted events that jose verifies, replay-safe', async () => {
    const receiver = await startReceiver((_n, _req, res) => res.writeHead(204).end());
    const platform = await platformWith(fast);
    try {
      const { tenant } = await platform.tenants.create({ name: 'Hooks', webhookUrl: receiver.url });
      const account = await platform.accounts.create(tenant, {
        integration: 'plain',
        credentials: { api_key: 'k' },
      });
      await platform.accounts.delete(tenant, account.id as string);
      await until(() => receiver.received.length >= 3, 'three deliveries');
      const bodies = receiver.received.map((r) => JSON.parse(r.body));
      // Events of one round are delivered concurrently; their order is not promised.
      expect(bodies.map((b) => b.type).sort()).toEqual([
        'integrated_account:active',
        'integrated_account:created',
        'integrated_account:deleted',
      ]);
      for (const r of receiver.received) {
        const { eventId } = await verify(platform, r, tenant.id);
        expect(eventId).toBe(r.eventId);
        expect(JSON.parse(r.body)).toMatchObject({
          id: r.eventId,
          data: { integratedAccountId: account.id, integration: 'plain' },
        });
      }
      const sample = receiver.received[0] as Received;
      // Another body, another tenant, or the same request much later: all refused.
      await expect(
        verify(platform, { ...sample, body: sample.body.replace('plain', 'other') }, tenant.id),
      ).rejects.toThrow(/body/);
      await expect(verify(platform, sample, 'ten_other')).rejects.toThrow();
      await expect(verify(platform, sample, tenant.id, new Date(Date.now() + 10 * 60_000))).rejects.toThrow();
    } finally {
      await platform.close();
      await receiver.close();
    }
  });

  it('retries errors, timeouts and 429 (after Retry-After) with the same event id', async () => {
    const receiver = await startReceiver((n, _req, res) => {
      if (n === 0) res.writeHead(500).end();
      else if (n === 1)
        return; // no answer: a timeout
      else if (n === 2) res.writeHead(429, { 'retry-after': '0' }).end();
      else res.writeHead(200).end('ok');
    });
    const platform = await platformWith(fast);
    try {
      const { tenant } = await platform.tenants.create({ name: 'Flaky hooks', webhookUrl: receiver.url });
      provider.route('GET /down/company', (_req, res) => res.writeHead(500).end());
      await platform.accounts.create(tenant, {
        integration: 'testhr',
        credentials: { subdomain: 'down', api_key: 'k' },
      });
      await until(
        async () => (await eventsOf(platform, tenant.id)).every((e) => e.delivered_at !== null),
        'delivery after retries',
      );
      const rows = await eventsOf(platform, tenant.id);
      expect(rows.map((r) => r.type).sort()).toEqual([
        'integrated_account:created',
        'integrated_account:post_install_error',
      ]);
      const attemptsById = new Map<string, number>();
      for (const r of receiver.received) attemptsById.set(r.eventId, (attemptsById.get(r.eventId) ?? 0) + 1);
      expect([...attemptsById.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
      expect(Math.max(...attemptsById.values())).toBeGreaterThanOrEqual(2);
      expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(receiver.received.length);
    } finally {
      await platform.close();
      await receiver.close();
    }
  });

  it('keeps undelivered events across a restart and delivers them after it', async () => {
    const receiver = await startReceiver((_n, _req, res) => res.writeHead(200).end());
    const first = await platformWith(false);
    const { tenant } = await first.tenants.create({ name: 'Restart', webhookUrl: receiver.url });
    await first.accounts.create(tenant, { integration: 'plain', credentials: { api_key: 'k' } });
    expect((await eventsOf(first, tenant.id)).map((e) => e.delivered_at)).toEqual([null, null]);
    await first.close();
    expect(receiver.received).toEqual([]);
    const second = await platformWith(fast);
    try {
      await until(() => receiver.received.length === 2, 'delivery after restart');
      // The receiver has the requests before the platform has recorded their answers.
      await until(
        async () => (await eventsOf(second, tenant.id)).every((e) => e.delivered_at !== null),
        'deliveries recorded after restart',
      );
      expect(receiver.received).toHaveLength(2);
    } finally {
      await second.close();
      await receiver.close();
    }
  });
});

async function eventsOf(platform: Platform, tenantId: string) {
  return platform.database.db
    .selectFrom('webhook_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
}

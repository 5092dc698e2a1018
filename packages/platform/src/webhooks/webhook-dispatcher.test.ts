/**
 * The dispatcher's retry policy with a frozen clock and a fixed random source: backoff, full
 * jitter, Retry-After and the attempt limit. The outbox is a recording stand-in (this is a unit
 * test of the dispatcher); requests go to a real receiver on loopback; signing keys are real.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from '../platform.js';
import type { WebhookEventRow } from '../store/webhook-events.js';
import { parseRetryAfter, WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.js';

const NOW = Date.parse('2026-11-29T12:00:00.000Z');
const MiB = 1024 * 1024;
const SECRET_KEY = Buffer.alloc(32, 9).toString('base64');

describe('WebhookDispatcher', () => {
  let platform: Platform;
  let receiver: Server;
  let hookUrl: string;
  let answer: (res: ServerResponse) => void = (res) => res.writeHead(204).end();

  beforeAll(async () => {
    platform = await createPlatform({
      database: 'sqlite::memory:',
      secretKey: SECRET_KEY,
      publicUrl: 'http://platform.test',
      logger: pino({ level: 'silent' }),
      webhooks: false,
    });
    receiver = createServer((req, res) => {
      req.resume();
      answer(res);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await platform.close();
  });

  /** A dispatcher over one claimed event; returns what it recorded. */
  async function attempt(
    event: Partial<WebhookEventRow>,
    options: Partial<WebhookDispatcherOptions> = {},
  ): Promise<{ delivered: string[]; failed: Array<{ error: string; next: Date | null }> }> {
    const delivered: string[] = [];
    const failed: Array<{ error: string; next: Date | null }> = [];
    const row: WebhookEventRow = {
      id: 'evt_1',
      tenant_id: 'ten_1',
      type: 'integrated_account:created',
      payload: '{}',
      created_at: new Date(NOW).toISOString(),
      attempts: 0,
      next_attempt_at: new Date(NOW).toISOString(),
      locked_until: null,
      delivered_at: null,
      failed_at: null,
      last_error: null,
      ...event,
    };
    const due = [row];
    const dispatcher = new WebhookDispatcher({
      store: {
        claim: async () => due.splice(0),
        delivered: async (id) => void delivered.push(id),
        failedAttempt: async (_id, error, next) => void failed.push({ error, next }),
      },
      tenants: { get: async (id) => ({ id, webhookUrl: hookUrl }) as never },
      signingKeys: platform.signingKeys,
      issuer: () => 'http://platform.test',
      logger: pino({ level: 'silent' }),
      now: () => NOW,
      random: () => 0,
      ...options,
    });
    expect(await dispatcher.runOnce()).toBe(1);
    return { delivered, failed };
  }

  describe('backoff with full jitter', () => {
    const dispatcher = (random: () => number) =>
      new WebhookDispatcher({
        store: {} as never,
        tenants: {} as never,
        signingKeys: {} as never,
        issuer: () => '',
        logger: pino({ level: 'silent' }),
        baseDelayMs: 1_000,
        maxDelayMs: 60 * 60_000,
        random,
      });

    it('draws uniformly below a ceiling that doubles per attempt', () => {
      const top = dispatcher(() => 1 - Number.EPSILON);
      expect([1, 2, 3, 4, 5].map((n) => top.delayFor(n))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
      const half = dispatcher(() => 0.5);
      expect([1, 2, 3].map((n) => half.delayFor(n))).toEqual([1_000, 2_000, 4_000]);
      expect(dispatcher(() => 0).delayFor(7)).toBe(0);
    });

    it('stops doubling at maxDelayMs', () => {
      const top = dispatcher(() => 1 - Number.EPSILON);
      expect(top.delayFor(12)).toBe(3_600_000);
      expect(top.delayFor(40)).toBe(3_600_000);
    });

    it('schedules the next attempt at now + the drawn delay', async () => {
      answer = (res) => res.writeHead(500).end();
      const { failed } = await attempt({ attempts: 2 }, { random: () => 0.5 });
      // Third attempt failed: ceiling 1 s * 2^3 = 8 s, half of it drawn.
      expect(failed).toEqual([{ error: 'the endpoint answered 500', next: new Date(NOW + 4_000) }]);
    });
  });

  describe('Retry-After', () => {
    it.each([429, 503])('is honoured on %i when longer than the backoff (seconds)', async (status) => {
      answer = (res) => res.writeHead(status, { 'retry-after': '120' }).end();
      const { failed } = await attempt({});
      expect(failed[0]?.next).toEqual(new Date(NOW + 120_000));
    });

    it('is honoured as an HTTP date', async () => {
      answer = (res) => res.writeHead(429, { 'retry-after': new Date(NOW + 90_000).toUTCString() }).end();
      const { failed } = await attempt({});
      expect(failed[0]?.next).toEqual(new Date(NOW + 90_000));
    });

    it('loses to a longer backoff, and is capped at maxDelayMs', async () => {
      answer = (res) => res.writeHead(429, { 'retry-after': '1' }).end();
      const longer = await attempt({ attempts: 4 }, { random: () => 0.5 });
      expect(longer.failed[0]?.next).toEqual(new Date(NOW + 16_000));
      answer = (res) => res.writeHead(429, { 'retry-after': String(10 * 24 * 3600) }).end();
      const capped = await attempt({}, { maxDelayMs: 3_600_000 });
      expect(capped.failed[0]?.next).toEqual(new Date(NOW + 3_600_000));
    });

    it('parses seconds, dates and junk', () => {
      expect(parseRetryAfter('3', NOW)).toBe(3_000);
      expect(parseRetryAfter(new Date(NOW + 5_000).toUTCString(), NOW)).toBe(5_000);
      expect(parseRetryAfter(new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
      expect(parseRetryAfter('soon', NOW)).toBe(0);
      expect(parseRetryAfter(null, NOW)).toBe(0);
    });
  });

  describe('the attempt limit', () => {
    it('retries below maxAttempts and gives up at it', async () => {
      answer = (res) => res.writeHead(502).end();
      const retried = await attempt({ attempts: 10 }, { maxAttempts: 12 });
      expect(retried.failed[0]?.next).not.toBeNull();
      const givenUp = await attempt({ attempts: 11 }, { maxAttempts: 12 });
      expect(givenUp.failed).toEqual([{ error: 'the endpoint answered 502', next: null }]);
    });
  });

  it('delivers on a 2xx without reading the answer: the body is cancelled, not downloaded', async () => {
    // 64 MiB, far more than socket buffers hold: only a client that reads it all lets it finish.
    let finished: boolean | undefined;
    let written = 0;
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(MiB, 0x61);
      res.on('close', () => {
        finished = res.writableFinished;
      });
      const pump = () => {
        while (!res.destroyed && written < 64 * MiB) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    };
    const before = process.memoryUsage().rss;
    const { delivered, failed } = await attempt({});
    const after = process.memoryUsage().rss;
    expect(delivered).toEqual(['evt_1']);
    expect(failed).toEqual([]);
    await expect.poll(() => finished).toBe(false);
    console.log(
      `webhook receiver answering 64 MiB: ${(written / MiB).toFixed(0)} MiB written before the platform hung up; RSS +${((after - before) / MiB).toFixed(1)} MiB`,
    );
  });
});

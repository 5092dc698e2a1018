/**
 * Delivers the webhook outbox: claims due events, POSTs each, signed, to its tenant's webhook
 * URL, and records the outcome. A 2xx is delivered; anything else (an error status, a timeout,
 * a refused connection, 429) is retried with exponential backoff and full jitter, honouring
 * `Retry-After` (on 429 and 503, up to `maxDelayMs`), until `maxAttempts`. State lives in the
 * database, so delivery survives restarts; it is at least once, and every attempt of an event
 * carries the same event id. The receiver's answer body is never read: only its status counts,
 * and the body stream is cancelled so a large or endless answer costs nothing.
 * @module
 */
import type { Logger } from 'pino';
import { retryAfterMs } from '../http/retry-after.js';
import type { SigningKeys } from '../signing/signing-keys.js';
import type { TenantStore } from '../store/tenants.js';
import type { WebhookEventRow, WebhookEventStore } from '../store/webhook-events.js';
import { signWebhook } from './webhook-signature.js';

export interface WebhookDispatcherOptions {
  store: Pick<WebhookEventStore, 'claim' | 'delivered' | 'failedAttempt'>;
  tenants: Pick<TenantStore, 'get'>;
  signingKeys: SigningKeys;
  issuer: () => string;
  logger: Logger;
  pollMs?: number;
  leaseMs?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  /** The clock, in ms since the epoch (tests freeze it). */
  now?: () => number;
}

export class WebhookDispatcher {
  readonly #o: Required<WebhookDispatcherOptions>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(options: WebhookDispatcherOptions) {
    this.#o = {
      pollMs: 500,
      leaseMs: 30_000,
      timeoutMs: 10_000,
      maxAttempts: 12,
      baseDelayMs: 1_000,
      maxDelayMs: 60 * 60_000,
      random: Math.random,
      now: Date.now,
      ...options,
    };
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops polling and waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Runs a delivery round soon (after an event was enqueued). */
  nudge(): void {
    if (!this.#stopped && !this.#running) this.#schedule(0);
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .catch((error: unknown) => this.#o.logger.error({ err: error }, 'webhook delivery round failed'))
        .finally(() => {
          this.#running = undefined;
          if (!this.#stopped) this.#schedule(this.#o.pollMs);
        });
    }, ms);
    this.#timer.unref();
  }

  /** One round: claim due events and attempt each; returns how many were attempted. */
  async runOnce(now = new Date(this.#o.now())): Promise<number> {
    const events = await this.#o.store.claim(20, this.#o.leaseMs, now);
    await Promise.all(events.map((event) => this.#deliver(event)));
    return events.length;
  }

  /** Backoff before the next attempt: full jitter over an exponential ceiling. */
  delayFor(attempts: number): number {
    const ceiling = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** attempts);
    return Math.round(this.#o.random() * ceiling);
  }

  async #deliver(event: WebhookEventRow): Promise<void> {
    const tenant = await this.#o.tenants.get(event.tenant_id);
    if (!tenant?.webhookUrl) {
      await this.#o.store.failedAttempt(event.id, 'the tenant has no webhook URL', null);
      return;
    }
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      createdAt: event.created_at,
      data: JSON.parse(event.payload),
    });
    let error: string;
    let retryAfterMs = 0;
    try {
      const signature = await signWebhook(this.#o.signingKeys, this.#o.issuer(), tenant.id, event.id, body);
      const res = await fetch(tenant.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'truto-signature': signature,
          'truto-event-id': event.id,
          'user-agent': 'truto-connect-webhooks/1',
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#o.timeoutMs),
      });
      // Only the status matters: drop the body unread (and the connection with it, if unfinished).
      await res.body?.cancel().catch(() => undefined);
      if (res.ok) {
        await this.#o.store.delivered(event.id);
        this.#o.logger.info(
          { eventId: event.id, type: event.type, attempts: event.attempts + 1 },
          'webhook delivered',
        );
        return;
      }
      error = `the endpoint answered ${res.status}`;
      if (res.status === 429 || res.status === 503) {
        // A receiver may slow us down, but not park an event beyond the longest backoff.
        retryAfterMs = Math.min(
          this.#o.maxDelayMs,
          parseRetryAfter(res.headers.get('retry-after'), this.#o.now()),
        );
      }
    } catch (cause) {
      error =
        (cause as Error).name === 'TimeoutError'
          ? `no answer within ${this.#o.timeoutMs} ms`
          : `request failed: ${(cause as Error).message}`;
    }
    const attempts = event.attempts + 1;
    const next =
      attempts >= this.#o.maxAttempts
        ? null
        : new Date(this.#o.now() + Math.max(retryAfterMs, this.delayFor(attempts)));
    await this.#o.store.failedAttempt(event.id, error, next);
    this.#o.logger.warn(
      { eventId: event.id, attempts, error, nextAttemptAt: next?.toISOString() ?? null },
      'webhook attempt failed',
    );
  }
}

/** `Retry-After` in seconds or as an HTTP date; 0 when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number {
  return retryAfterMs(value, now) ?? 0;
}

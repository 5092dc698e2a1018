/**
 * `Idempotency-Key` on the creating POSTs, with Stripe's semantics: per tenant, the same key
 * and body within 24 hours answer the first answer again (status and body, with
 * `Idempotent-Replayed: true`); the same key with another operation or body is 422
 * `idempotency_key_reused`. A duplicate that arrives while the first still runs waits for it
 * (up to {@link IDEMPOTENCY_WAIT_MS}), then gets Stripe's 409 `idempotency_key_in_use`. An
 * answer the platform failed to produce (5xx) is not kept, so a retry runs again. Without the
 * header nothing here touches the database.
 * @module
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError, InvalidRequestError } from '../errors.js';
import type { IdempotencyKeyStore } from '../store/idempotency-keys.js';
import { tenantOf } from './authenticate.js';

/** Stripe's limit on a key's length. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** How long a duplicate waits for the first request before it is told 409. */
export const IDEMPOTENCY_WAIT_MS = 30_000;
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What makes two requests "the same": the operation, its path and its parsed JSON body. */
function fingerprintOf(operationId: string, req: Request): string {
  return createHash('sha256')
    .update(`${operationId}\n${req.path}\n${JSON.stringify(req.body ?? null)}`)
    .digest('base64url');
}

export function idempotency(
  store: IdempotencyKeyStore,
  operationId: string,
  options: { waitMs?: number } = {},
): RequestHandler {
  const waitMs = options.waitMs ?? IDEMPOTENCY_WAIT_MS;
  return async function idempotencyMiddleware(req: Request, res: Response, next: NextFunction) {
    const key = req.get('idempotency-key');
    if (key === undefined) {
      next();
      return;
    }
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
      next(
        new InvalidRequestError(
          `Idempotency-Key must be 1-${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters`,
        ),
      );
      return;
    }
    const tenantId = tenantOf(res).id;
    const fingerprint = fingerprintOf(operationId, req);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const claim = await store.claim(tenantId, key, fingerprint);
      if (claim.kind === 'replay') {
        res.status(claim.answer.status).set('Idempotent-Replayed', 'true').json(claim.answer.body);
        return;
      }
      if (claim.kind === 'mismatch') {
        next(
          new IdempotencyKeyReusedError(
            'this Idempotency-Key was already used with another request; use a new key for a new request',
          ),
        );
        return;
      }
      if (claim.kind === 'claimed') break;
      if (Date.now() >= deadline) {
        next(new IdempotencyKeyInUseError('a request with this Idempotency-Key is still being processed'));
        return;
      }
      await sleep(POLL_MS);
    }
    // Keep the answer before it is sent: a client that sees it and retries must get it again.
    const send = res.json.bind(res);
    res.json = function recordAndSend(body: unknown) {
      const status = res.statusCode;
      const kept =
        status < 500 ? store.finish(tenantId, key, { status, body }) : store.release(tenantId, key);
      kept.then(
        () => send(body),
        (error: unknown) => {
          // Not kept: give the key up so a retry runs again rather than waiting on it.
          store.release(tenantId, key).catch(() => undefined);
          res.status(500);
          res.json = send;
          next(error);
        },
      );
      return res;
    };
    next();
  };
}

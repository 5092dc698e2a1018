/**
 * Verifies a webhook delivery: `Truto-Signature` is a JWT (ES256, `typ: truto-webhook+jwt`)
 * whose `iat` must be recent, whose `aud` is the tenant, whose `jti` is the event id and whose
 * `body_sha256` is the base64url SHA-256 of the exact body bytes. So a captured delivery can be
 * replayed neither later nor with another body. No framework here.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type JWTVerifyGetKey, jwtVerify } from 'jose';
import { TrutoConnectError } from './errors.js';
import { fromJoseError } from './jose-errors.js';
import type { WebhookEvent } from './options.js';

export const WEBHOOK_SIGNATURE_TYPE = 'truto-webhook+jwt';
/** How old a signature may be; the platform signs each attempt anew. */
export const WEBHOOK_MAX_AGE_SECONDS = 300;

export interface VerifiedWebhook {
  event: WebhookEvent;
  /** The `aud` of the signature: the tenant it was sent for. */
  tenantId: string;
}

export interface VerifyWebhookOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  /** This tenant's id; when undefined the caller must prove `aud` some other way. */
  tenantId: string | undefined;
  currentDate?: Date;
}

export async function verifyWebhook(
  body: Uint8Array,
  signature: string | undefined,
  options: VerifyWebhookOptions,
): Promise<VerifiedWebhook> {
  if (!signature) throw new TrutoConnectError('invalid_signature', 'the Truto-Signature header is missing');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(signature, options.keys, {
      algorithms: ['ES256'],
      typ: WEBHOOK_SIGNATURE_TYPE,
      issuer: options.issuer,
      ...(options.tenantId === undefined ? {} : { audience: options.tenantId }),
      maxTokenAge: WEBHOOK_MAX_AGE_SECONDS,
      requiredClaims: ['aud', 'jti', 'iat', 'body_sha256'],
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
    }));
  } catch (error) {
    throw fromJoseError(error, 'the webhook signature', {
      expired: 'signature_expired',
      invalid: 'invalid_signature',
    });
  }
  const { aud, jti, body_sha256: claimedHash } = payload;
  if (typeof aud !== 'string' || typeof jti !== 'string' || typeof claimedHash !== 'string') {
    throw new TrutoConnectError('invalid_signature', 'the webhook signature lacks its claims');
  }
  const actual = createHash('sha256').update(body).digest();
  const claimed = Buffer.from(claimedHash, 'base64url');
  if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) {
    throw new TrutoConnectError('body_mismatch', 'the body does not match its signature');
  }
  let event: WebhookEvent;
  try {
    event = JSON.parse(Buffer.from(body).toString('utf8')) as WebhookEvent;
  } catch (cause) {
    throw new TrutoConnectError('invalid_event', 'the webhook body is not JSON', { cause });
  }
  if (
    typeof event !== 'object' ||
    event === null ||
    event.id !== jti ||
    typeof event.type !== 'string' ||
    typeof event.data !== 'object' ||
    event.data === null
  ) {
    throw new TrutoConnectError('invalid_event', 'the webhook body is not an event of its signature');
  }
  return { event, tenantId: aud };
}

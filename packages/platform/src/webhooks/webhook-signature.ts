/**
 * Webhook signatures: a JWT in `Truto-Signature`, signed with the platform's key (verify with
 * the JWKS), whose claims cover the time (`iat`, `exp`), the event (`jti`), the tenant (`aud`)
 * and a SHA-256 of the exact body (`body_sha256`), so a captured request cannot be replayed
 * later or with another body.
 * @module
 */
import { createHash } from 'node:crypto';
import { type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import type { SigningKeys } from '../signing/signing-keys.js';

export const WEBHOOK_SIGNATURE_TYPE = 'truto-webhook+jwt';
export const WEBHOOK_SIGNATURE_TTL_SECONDS = 300;

export const bodyHash = (body: string) => createHash('sha256').update(body, 'utf8').digest('base64url');

export async function signWebhook(
  keys: SigningKeys,
  issuer: string,
  tenantId: string,
  eventId: string,
  body: string,
): Promise<string> {
  const key = await keys.current();
  return new SignJWT({ body_sha256: bodyHash(body) })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: WEBHOOK_SIGNATURE_TYPE })
    .setIssuer(issuer)
    .setAudience(tenantId)
    .setJti(eventId)
    .setIssuedAt()
    .setExpirationTime(`${WEBHOOK_SIGNATURE_TTL_SECONDS}s`)
    .sign(key.privateKey);
}

/** What a receiver does: verify the JWT against the JWKS, then the body's hash. */
export async function verifyWebhook(
  body: string,
  signature: string,
  keys: JWTVerifyGetKey,
  expected: { issuer: string; tenantId: string; currentDate?: Date },
): Promise<{ eventId: string }> {
  const { payload } = await jwtVerify(signature, keys, {
    issuer: expected.issuer,
    audience: expected.tenantId,
    typ: WEBHOOK_SIGNATURE_TYPE,
    maxTokenAge: `${WEBHOOK_SIGNATURE_TTL_SECONDS}s`,
    ...(expected.currentDate ? { currentDate: expected.currentDate } : {}),
  });
  if (payload.body_sha256 !== bodyHash(body)) throw new Error('the body does not match its signature');
  return { eventId: String(payload.jti) };
}

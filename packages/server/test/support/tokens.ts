/**
 * Signed tokens made in the test with the platform's real signing key (or a stranger's key), to
 * reach the checks that a real flow cannot: an expired result, a wrong `typ` or issuer, a stale
 * or other-tenant webhook signature.
 */
import { createHash } from 'node:crypto';
import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { World } from './world.js';

export async function signWithPlatformKey(
  world: World,
  claims: JWTPayload,
  header: { typ: string },
  times: { iat?: number; exp: number },
): Promise<string> {
  const key = await world.platform.signingKeys.current();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: header.typ })
    .setIssuedAt(times.iat ?? Math.floor(Date.now() / 1000))
    .setExpirationTime(times.exp)
    .sign(key.privateKey);
}

/** A key the platform never published, with a `kid` the JWKS does not hold. */
export async function signWithStrangerKey(
  claims: JWTPayload,
  typ: string,
  kid = 'stranger',
): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid, typ })
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(privateKey);
}

export const sha256 = (body: Uint8Array | string) => createHash('sha256').update(body).digest('base64url');

/** Flips one character of a JWT's payload: the signature no longer matches. */
export function tamper(jwt: string): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  claims.external_id = `${String(claims.external_id)}x`;
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

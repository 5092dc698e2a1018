/**
 * The platform's public keys, from its `/.well-known/jwks.json`, through jose's remote key set:
 * fetched on first use, cached, and fetched again when a token names a `kid` the cache does
 * not hold (a key rotation), at most once per cooldown so forged `kid`s cannot flood the platform.
 * @module
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export const JWKS_PATH = '/.well-known/jwks.json';

export function platformKeys(baseUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(`${baseUrl}${JWKS_PATH}`), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
}

/**
 * The signed result of a connect flow: a JWT signed with the platform's key, with the tenant as
 * audience and the integrated account as subject. The widget hands it to the SaaS, whose backend
 * verifies it against the JWKS before acting.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.js';

export const RESULT_TYPE = 'truto-connect-result+jwt';
export const DEFAULT_RESULT_TTL_SECONDS = 3600;

export interface ConnectResultClaims {
  tenantId: string;
  integratedAccountId: string;
  integration: string;
  externalId: string | null;
  status: string;
}

export async function signConnectResult(
  keys: SigningKeys,
  issuer: string,
  claims: ConnectResultClaims,
  ttlSeconds = DEFAULT_RESULT_TTL_SECONDS,
): Promise<string> {
  const key = await keys.current();
  return new SignJWT({
    integration: claims.integration,
    status: claims.status,
    ...(claims.externalId === null ? {} : { external_id: claims.externalId }),
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: RESULT_TYPE })
    .setIssuer(issuer)
    .setAudience(claims.tenantId)
    .setSubject(claims.integratedAccountId)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key.privateKey);
}

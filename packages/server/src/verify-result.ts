/**
 * Verifies a connect result: the JWT the platform signs when an end user finishes connecting
 * (ES256, `typ: truto-connect-result+jwt`, `iss` the platform, `aud` the tenant, `sub` the
 * integrated account). No framework here; the routes and any other server can call it.
 *
 * @example
 * ```ts
 * const claims = await verifyConnectResult(jwt, { keys: platformKeys(baseUrl), issuer: baseUrl, tenantId });
 * ```
 * @module
 */
import { type JWTVerifyGetKey, jwtVerify } from 'jose';
import { TrutoConnectError } from './errors.js';
import { fromJoseError } from './jose-errors.js';

export const RESULT_TYPE = 'truto-connect-result+jwt';
const MAX_RESULT_LENGTH = 8 * 1024;

export interface ConnectResultClaims {
  /** The result's id (`jti`): what "acted on once" counts. */
  id: string;
  tenantId: string;
  integratedAccountId: string;
  integration: string;
  status: string;
  externalId: string | undefined;
  /** Seconds since the epoch. */
  expiresAt: number;
}

export interface VerifyConnectResultOptions {
  keys: JWTVerifyGetKey;
  /** The platform's public URL: the `iss` it signs with. */
  issuer: string;
  /** This tenant's id; when undefined the caller must prove `aud` some other way. */
  tenantId: string | undefined;
  currentDate?: Date;
}

export async function verifyConnectResult(
  jwt: unknown,
  options: VerifyConnectResultOptions,
): Promise<ConnectResultClaims> {
  if (typeof jwt !== 'string' || jwt === '' || jwt.length > MAX_RESULT_LENGTH) {
    throw new TrutoConnectError('invalid_result', 'result must be a signed JWT string');
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, options.keys, {
      algorithms: ['ES256'],
      typ: RESULT_TYPE,
      issuer: options.issuer,
      ...(options.tenantId === undefined ? {} : { audience: options.tenantId }),
      requiredClaims: ['sub', 'aud', 'jti', 'exp'],
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
    }));
  } catch (error) {
    throw fromJoseError(error, 'the result', { expired: 'result_expired', invalid: 'invalid_result' });
  }
  const { aud, sub, jti, exp, integration, status, external_id: externalId } = payload;
  if (
    typeof aud !== 'string' ||
    typeof sub !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    typeof integration !== 'string' ||
    typeof status !== 'string' ||
    (externalId !== undefined && typeof externalId !== 'string')
  ) {
    throw new TrutoConnectError('invalid_result', 'the result does not have the claims of a connect result');
  }
  return {
    id: jti,
    tenantId: aud,
    integratedAccountId: sub,
    integration,
    status,
    externalId,
    expiresAt: exp,
  };
}

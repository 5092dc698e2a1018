/**
 * The one place jose's errors become the helper's: an expired (or, with `maxTokenAge`, too old) token, a claim that names another
 * tenant, a key set that could not be fetched, and everything else (bad signature, wrong `typ`
 * or issuer, malformed) each get their own stable code.
 * @module
 */
import { errors } from 'jose';
import { TrutoConnectError, type TrutoConnectErrorCode } from './errors.js';

export function fromJoseError(
  error: unknown,
  what: string,
  codes: { expired: TrutoConnectErrorCode; invalid: TrutoConnectErrorCode },
): TrutoConnectError {
  if (error instanceof TrutoConnectError) return error;
  if (error instanceof errors.JWTExpired)
    return new TrutoConnectError(codes.expired, `${what} has expired`, { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    return new TrutoConnectError('wrong_tenant', `${what} was issued for another tenant`, { cause: error });
  }
  if (
    error instanceof errors.JWKSTimeout ||
    (error instanceof TypeError && !(error instanceof errors.JOSEError))
  ) {
    return new TrutoConnectError('platform_error', "could not fetch the platform's signing keys", {
      cause: error,
    });
  }
  if (error instanceof errors.JOSEError) {
    return new TrutoConnectError(codes.invalid, `${what} did not verify (${error.code})`, { cause: error });
  }
  return new TrutoConnectError('internal_error', `${what} could not be verified`, { cause: error });
}

/**
 * The coded error every failed flow rejects `open()` with, and the codes it may carry.
 * Codes follow the Truto link SDK where they overlap.
 * @module
 */

export type TrutoConnectErrorCode =
  | 'invalid_token'
  | 'invalid_integration'
  | 'connection_error'
  | 'post_install_error'
  | 'validation_error'
  | 'popup_blocked'
  | 'closed'
  | 'network_error'
  | 'verification_failed';

const CODES = new Set<string>([
  'invalid_token',
  'invalid_integration',
  'connection_error',
  'post_install_error',
  'validation_error',
  'popup_blocked',
  'closed',
  'network_error',
  'verification_failed',
]);

export class TrutoConnectError extends Error {
  readonly code: TrutoConnectErrorCode;

  constructor(code: TrutoConnectErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TrutoConnectError';
    this.code = code;
  }
}

/** A code from the connect pages, or `connection_error` for one this version does not know. */
export function toErrorCode(value: unknown): TrutoConnectErrorCode {
  return typeof value === 'string' && CODES.has(value)
    ? (value as TrutoConnectErrorCode)
    : 'connection_error';
}

/**
 * The coded error every failed flow rejects `open()` with. The codes are declared once, in the
 * wire protocol (`ERROR_CODES`), and follow the Truto link SDK where they overlap.
 * @module
 */
import { ERROR_CODES, type TrutoConnectErrorCode } from './protocol.js';

export type { TrutoConnectErrorCode } from './protocol.js';

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

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

/**
 * Errors of the backend helper. Every refusal the routes can answer is a
 * {@link TrutoConnectError} with a stable `code` (one of {@link TRUTO_CONNECT_ERROR_CODES}), the
 * HTTP `status` and the `{"error","message"}` body; library errors (jose, fetch) are converted
 * where they are caught and kept as `cause`. Tests and clients rely on `code`, not `message`.
 * @module
 */

/** Every code the helper answers with, and its HTTP status. */
export const TRUTO_CONNECT_ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  integration_not_allowed: 400,
  invalid_result: 400,
  result_expired: 400,
  invalid_event: 400,
  body_mismatch: 400,
  unauthenticated: 401,
  invalid_signature: 401,
  signature_expired: 401,
  cross_site_request: 403,
  external_id_mismatch: 403,
  wrong_tenant: 403,
  account_not_owned: 403,
  account_not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  handler_failed: 500,
  raw_body_unavailable: 500,
  internal_error: 500,
  platform_error: 502,
  tenant_unknown: 503,
} as const;

export type TrutoConnectErrorCode = keyof typeof TRUTO_CONNECT_ERROR_STATUS;
export const TRUTO_CONNECT_ERROR_CODES = Object.keys(TRUTO_CONNECT_ERROR_STATUS) as TrutoConnectErrorCode[];

export interface ErrorBody {
  error: string;
  message: string;
}

/** A refusal or failure of the helper, answered as `{"error": code, "message"}` with `status`. */
export class TrutoConnectError extends Error {
  readonly code: TrutoConnectErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    code: TrutoConnectErrorCode,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrutoConnectError';
    this.code = code;
    this.status = TRUTO_CONNECT_ERROR_STATUS[code];
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    return { error: this.code, message: this.message };
  }
}

/**
 * A non-2xx answer of the Admin API: `status` is the platform's HTTP status, `error` and
 * `message` its `{"error","message"}` body. Never carries the API token.
 */
export class AdminApiError extends Error {
  readonly code = 'admin_api_error';
  readonly status: number;
  readonly error: string;

  constructor(status: number, error: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdminApiError';
    this.status = status;
    this.error = error;
  }
}

/**
 * Every error of the platform, in one place: {@link PlatformError} and its subclasses, each with
 * a stable `code` from {@link PlatformErrorCode} (the compiler checks the set, as jose's
 * `JOSEErrorCode` does), the HTTP `status` and the `{"error","message"}` body the spec promises.
 * Library errors are converted at one boundary (the HTTP error handler), keeping the original
 * as `cause`.
 * @module
 */

/** Every code a platform error can carry; the ones with a 4xx status are answered over HTTP. */
export type PlatformErrorCode =
  | 'internal_error'
  | 'invalid_request'
  | 'invalid_json'
  | 'unknown_integration'
  | 'missing_credential'
  | 'invalid_credential'
  | 'redirect_uri_not_allowed'
  | 'unknown_method'
  | 'invalid_argument'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'reauth_required'
  | 'idempotency_key_in_use'
  | 'idempotency_key_reused'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'post_install_error'
  | 'provider_request_failed'
  | 'provider_timeout'
  | 'outbound_request_refused'
  | 'provider_response_too_large'
  | 'origin_not_allowed'
  | 'rate_limited'
  | 'invalid_header'
  | 'service_unavailable'
  | 'credential_decryption_failed'
  | 'migration_failed'
  | 'invalid_config'
  | 'invalid_integration_definition'
  | 'usage';

export interface ErrorBody {
  error: PlatformErrorCode;
  message: string;
}

export class PlatformError extends Error {
  /** A stable, machine-readable code; tests and clients rely on it, not on `message`. */
  readonly code: PlatformErrorCode = 'internal_error';
  readonly status: number = 500;
  readonly headers: Record<string, string> = {};

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  toBody(): ErrorBody {
    return { error: this.code, message: this.message };
  }
}

export class InvalidRequestError extends PlatformError {
  override readonly code: PlatformErrorCode = 'invalid_request';
  override readonly status: number = 400;
}

export class InvalidJsonError extends InvalidRequestError {
  override readonly code = 'invalid_json';
}

export class UnknownIntegrationError extends InvalidRequestError {
  override readonly code = 'unknown_integration';
}

export class MissingCredentialError extends InvalidRequestError {
  override readonly code = 'missing_credential';
}

export class InvalidCredentialError extends InvalidRequestError {
  override readonly code = 'invalid_credential';
}

export class RedirectUriNotAllowedError extends InvalidRequestError {
  override readonly code = 'redirect_uri_not_allowed';
}

export class UnknownMethodError extends InvalidRequestError {
  override readonly code = 'unknown_method';
}

/** A method argument the platform will not use as given (a next-page URL on another host). */
export class InvalidArgumentError extends InvalidRequestError {
  override readonly code = 'invalid_argument';
}

/**
 * A value a template needs was never given (an OAuth method started before its fields were
 * collected): the caller's omission, so a 400 `missing_credential`, never a 500.
 */
export class TemplateValueMissingError extends MissingCredentialError {
  readonly placeholder: string;

  constructor(placeholder: string, template: string) {
    super(`no value for {${placeholder}} in "${template}"`);
    this.placeholder = placeholder;
  }
}

export class UnauthorizedError extends PlatformError {
  override readonly code = 'unauthorized';
  override readonly status = 401;
  override readonly headers: Record<string, string>;

  constructor(message: string, options?: { cause?: unknown; invalidToken?: boolean }) {
    super(message, options);
    // RFC 6750: name the error only when a token was presented.
    this.headers = {
      'WWW-Authenticate': options?.invalidToken
        ? 'Bearer realm="truto", error="invalid_token"'
        : 'Bearer realm="truto"',
    };
  }
}

export class NotFoundError extends PlatformError {
  override readonly code = 'not_found';
  override readonly status = 404;
}

export class MethodNotAllowedError extends PlatformError {
  override readonly code = 'method_not_allowed';
  override readonly status = 405;
}

/** The provider refused an OAuth refresh (or there is nothing to refresh with): reconnect. */
export class ReauthRequiredError extends PlatformError {
  override readonly code = 'reauth_required';
  override readonly status = 409;
}

/** Another request with this `Idempotency-Key` is still running (after waiting for it). */
export class IdempotencyKeyInUseError extends PlatformError {
  override readonly code = 'idempotency_key_in_use';
  override readonly status = 409;
}

/** This `Idempotency-Key` was used with another operation or body within 24 hours. */
export class IdempotencyKeyReusedError extends PlatformError {
  override readonly code = 'idempotency_key_reused';
  override readonly status = 422;
}

export class PayloadTooLargeError extends PlatformError {
  override readonly code = 'payload_too_large';
  override readonly status = 413;
}

export class UnsupportedMediaTypeError extends PlatformError {
  override readonly code = 'unsupported_media_type';
  override readonly status = 415;
}

export class ServiceUnavailableError extends PlatformError {
  override readonly code = 'service_unavailable';
  override readonly status = 503;
}

/** A call to a provider failed (non-2xx, network error). */
export class ProviderRequestError extends PlatformError {
  override readonly code: PlatformErrorCode = 'provider_request_failed';
  /** The provider's HTTP status, when it answered. */
  readonly providerStatus: number | undefined;

  constructor(message: string, options?: { cause?: unknown; providerStatus?: number }) {
    super(message, options);
    this.providerStatus = options?.providerStatus;
  }
}

export class ProviderTimeoutError extends ProviderRequestError {
  override readonly code = 'provider_timeout';
}

/** Sealed data that no key of the ring opens, or that was moved to another row. */
export class CredentialDecryptionError extends PlatformError {
  override readonly code = 'credential_decryption_failed';
}

export class MigrationError extends PlatformError {
  override readonly code = 'migration_failed';
}

/** A command line the CLI does not understand (exit code 64). */
export class UsageError extends PlatformError {
  override readonly code = 'usage';
}

/** Configuration or start-up problems; never answered over HTTP. */
export class ConfigError extends PlatformError {
  override readonly code = 'invalid_config';
}

/** An integration definition that does not satisfy the definition schema. */
export class IntegrationDefinitionError extends PlatformError {
  override readonly code = 'invalid_integration_definition';
}

/** A post-install step failed; the account is kept with status `error`. */
export class PostInstallError extends PlatformError {
  override readonly code = 'post_install_error';
  override readonly status = 502;
  readonly step: string;
  /** The provider's HTTP status, when it answered. */
  readonly providerStatus: number | undefined;
  /** Whether this was the first step, the one that proves the credentials work. */
  readonly firstStep: boolean;
  /** The provider was throttling (its `rateLimit`), so nothing is known of the credentials. */
  readonly throttled: boolean;
  /** The answer listed nothing that matches what the person entered (a post-install `select`). */
  readonly unmatched: boolean;
  /** What went wrong, without the step's name: shown to the person connecting. */
  readonly reason: string;

  constructor(
    step: string,
    message: string,
    options?: {
      cause?: unknown;
      providerStatus?: number | undefined;
      firstStep?: boolean;
      throttled?: boolean;
      unmatched?: boolean;
    },
  ) {
    super(`post-install step "${step}" failed: ${message}`, options);
    this.step = step;
    this.reason = message;
    this.unmatched = options?.unmatched ?? false;
    this.providerStatus = options?.providerStatus;
    this.firstStep = options?.firstStep ?? false;
    this.throttled = options?.throttled ?? false;
  }

  /** The provider refused the credentials themselves (401/403 at the first step, not a throttle). */
  get credentialsRejected(): boolean {
    return this.firstStep && !this.throttled && (this.providerStatus === 401 || this.providerStatus === 403);
  }
}

/**
 * A request whose host came from a credential, the account's context or a provider's answer
 * was refused before connecting: not https, or the host is (or resolves to) an address that is
 * not global unicast (loopback, private, link-local, unique-local…).
 */
export class OutboundRequestRefusedError extends PlatformError {
  override readonly code: PlatformErrorCode = 'outbound_request_refused';
  override readonly status: number = 502;
}

/** A provider's answer was longer than the integration's byte cap; reading stopped there. */
export class ProviderResponseTooLargeError extends PlatformError {
  override readonly code: PlatformErrorCode = 'provider_response_too_large';
  override readonly status: number = 502;
  readonly maxBytes: number;

  constructor(maxBytes: number, options?: { cause?: unknown }) {
    super(`the provider's answer is larger than ${maxBytes} bytes; it was not read`, options);
    this.maxBytes = maxBytes;
  }
}

/** The MCP endpoint refused an `Origin` that is neither the platform's nor the tenant's. */
export class OriginNotAllowedError extends PlatformError {
  override readonly code: PlatformErrorCode = 'origin_not_allowed';
  override readonly status: number = 403;
}

/** An MCP server spent its rate limit; `Retry-After` says when to come back. */
export class McpRateLimitedError extends PlatformError {
  override readonly code: PlatformErrorCode = 'rate_limited';
  override readonly status: number = 429;
  override readonly headers: Record<string, string>;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  }
}

/** `mcp-stdio --header` that is not "Name: value", or an MCP URL that is not http(s). */
export class InvalidHeaderError extends PlatformError {
  override readonly code: PlatformErrorCode = 'invalid_header';
}

/**
 * Errors of the platform. Every error the Admin API can answer is a subclass of
 * {@link PlatformError} with a stable `code`, the HTTP `status` and the `{"error","message"}`
 * body the spec promises. Library errors are converted at one boundary (the HTTP error
 * handler), keeping the original as `cause`.
 * @module
 */

export interface ErrorBody {
  error: string;
  message: string;
}

export class PlatformError extends Error {
  /** A stable, machine-readable code; tests and clients rely on it, not on `message`. */
  readonly code: string = 'internal_error';
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
  override readonly code: string = 'invalid_request';
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

  constructor(
    step: string,
    message: string,
    options?: { cause?: unknown; providerStatus?: number | undefined; firstStep?: boolean },
  ) {
    super(`post-install step "${step}" failed: ${message}`, options);
    this.step = step;
    this.providerStatus = options?.providerStatus;
    this.firstStep = options?.firstStep ?? false;
  }

  /** The provider refused the credentials themselves (401/403 at the first step). */
  get credentialsRejected(): boolean {
    return this.firstStep && (this.providerStatus === 401 || this.providerStatus === 403);
  }
}

/**
 * A request whose host came from a credential, the account's context or a provider's answer
 * was refused before connecting: not https, or the host is (or resolves to) an address that is
 * not global unicast (loopback, private, link-local, unique-local…).
 */
export class OutboundRequestRefusedError extends PlatformError {
  override readonly code = 'outbound_request_refused';
  override readonly status = 502;
}

/** A provider's answer was longer than the integration's byte cap; reading stopped there. */
export class ProviderResponseTooLargeError extends PlatformError {
  override readonly code = 'provider_response_too_large';
  override readonly status = 502;
  readonly maxBytes: number;

  constructor(maxBytes: number, options?: { cause?: unknown }) {
    super(`the provider's answer is larger than ${maxBytes} bytes; it was not read`, options);
    this.maxBytes = maxBytes;
  }
}

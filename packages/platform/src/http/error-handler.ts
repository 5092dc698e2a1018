/**
 * The one boundary where every error becomes an HTTP answer in the `{"error","message"}` shape.
 * Body-parser errors are converted here; anything unexpected is a logged 500 whose body
 * says nothing about internals.
 * @module
 */
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import {
  InvalidJsonError,
  InvalidRequestError,
  PayloadTooLargeError,
  PlatformError,
  UnsupportedMediaTypeError,
} from '../errors.js';
import { redactUrl } from '../logger.js';

/** Errors thrown by express.json() (body-parser) carry a `type`. */
function fromBodyParser(error: unknown): PlatformError | undefined {
  const type = (error as { type?: unknown }).type;
  switch (type) {
    case 'entity.parse.failed':
      return new InvalidJsonError('the request body is not valid JSON', { cause: error });
    case 'entity.too.large':
      return new PayloadTooLargeError('the request body is larger than 100 KiB', { cause: error });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('the request body must be UTF-8 JSON', { cause: error });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new InvalidJsonError('the request body could not be read', { cause: error });
    default:
      return fromHttpError(error);
  }
}

/** Express and its router throw http-errors style errors (a malformed %-escape in a path is 400). */
function fromHttpError(error: unknown): PlatformError | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (status === 413) return new PayloadTooLargeError('the request is too large', { cause: error });
  if (status === 415)
    return new UnsupportedMediaTypeError('the request body must be application/json', { cause: error });
  return new InvalidRequestError(
    error instanceof URIError ? 'the request URL has a malformed %-escape' : 'the request is malformed',
    { cause: error },
  );
}

/** What a client learns of a 5xx: its status's code and a fixed sentence, never the cause. */
const SERVER_ERROR_BODIES: Readonly<Record<number, { error: string; message: string }>> = {
  502: { error: 'upstream_error', message: 'a service the platform depends on failed' },
  503: { error: 'service_unavailable', message: 'the service is unavailable; try again later' },
};
const INTERNAL_ERROR_BODY = { error: 'internal_error', message: 'an internal error occurred' };

/** The body of an answer: a 4xx says what was wrong; a 5xx only that something failed. */
export function publicBodyOf(error: PlatformError): { error: string; message: string } {
  if (error.status < 500) return error.toBody();
  return Object.hasOwn(SERVER_ERROR_BODIES, error.status)
    ? (SERVER_ERROR_BODIES[error.status] as { error: string; message: string })
    : INTERNAL_ERROR_BODY;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function platformErrorHandler(error: unknown, req: Request, res: Response, next: NextFunction) {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = error instanceof PlatformError ? error : fromBodyParser(error);
    const platformError = known ?? new PlatformError('an internal error occurred', { cause: error });
    if (platformError.status >= 500) {
      logger.error({ err: error, method: req.method, url: redactUrl(req.originalUrl) }, 'request failed');
    }
    // A 5xx's message may carry its cause's (a driver's, a provider's); it goes to the log only.
    res.status(platformError.status).set(platformError.headers).json(publicBodyOf(platformError));
  };
}

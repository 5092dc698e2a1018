/**
 * Errors of the MCP endpoint that the Admin API does not have: a refused `Origin` and a spent
 * rate limit. Both answer in the `{"error","message"}` shape through the shared error handler.
 * @module
 */
import { PlatformError } from '../errors.js';

export class OriginNotAllowedError extends PlatformError {
  override readonly code = 'origin_not_allowed';
  override readonly status = 403;
}

export class McpRateLimitedError extends PlatformError {
  override readonly code = 'rate_limited';
  override readonly status = 429;
  override readonly headers: Record<string, string>;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  }
}

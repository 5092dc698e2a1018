/**
 * The platform's pino logger. Secrets are redacted by path, and URLs that carry a secret
 * (MCP URLs, link tokens) are logged with the secret cut out.
 * @module
 */
import { type DestinationStream, type Logger, pino } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'apiToken',
  'credentials',
  '*.credentials',
  '*.api_key',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.password',
  'token',
  '*.token',
  'secret',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'truto-platform' },
    },
    // stdout written synchronously, as Node writes it to files and pipes on Linux: pino's default
    // (asynchronous sonic-boom) hands every line to the thread pool and wakes the event loop
    // again for it, two context switches per request on a busy machine.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Cuts secrets out of a request URL before it is logged. */
export function redactUrl(url: string): string {
  return url
    .replace(/\/mcp\/[^/?#]+/, '/mcp/[redacted]')
    .replace(/([?&](?:link_token|token|code|state)=)[^&#]*/g, '$1[redacted]');
}

/**
 * Platform options, checked once when the platform is created.
 * @module
 */
import { ConfigError } from './errors.js';

export const DEFAULT_DATABASE = 'sqlite:.data/truto.sqlite';

/** Parses an absolute http(s) URL, or throws a ConfigError that names what it is for. */
function parseHttpUrl(what: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${what} "${value}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${what} "${value}" must be http or https`);
  }
  return url;
}

/** Normalises a public URL: absolute http(s), no query or fragment, no trailing slash. */
export function normalizePublicUrl(value: string): string {
  const url = parseHttpUrl('public URL', value);
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`public URL "${value}" must not have a query, fragment or user info`);
  }
  return url.href.replace(/\/+$/, '');
}

/** Normalises an allowed origin (`https://app.example.com`); a path is refused. */
export function normalizeOrigin(value: string): string {
  const url = parseHttpUrl('allowed origin', value);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new ConfigError(`allowed origin "${value}" must be an origin only, like https://app.example.com`);
  }
  return url.origin;
}

export function normalizeWebhookUrl(value: string): string {
  return parseHttpUrl('webhook URL', value).href;
}

export function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new ConfigError(`${name} must be a positive integer`);
  }
  return n;
}

/** Parses `TRUTO_OAUTH_CLIENTS`: `{"<integration>": {"clientId": "...", "clientSecret": "..."}}`. */
export function parseOAuthClients(value: string): Record<string, { clientId: string; clientSecret: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError(
      'TRUTO_OAUTH_CLIENTS must be JSON: {"<integration>": {"clientId", "clientSecret"}}',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('TRUTO_OAUTH_CLIENTS must be a JSON object keyed by integration name');
  }
  const clients: Record<string, { clientId: string; clientSecret: string }> = {};
  for (const [integration, client] of Object.entries(parsed)) {
    const { clientId, clientSecret } = (client ?? {}) as Record<string, unknown>;
    if (typeof clientId !== 'string' || !clientId || typeof clientSecret !== 'string' || !clientSecret) {
      throw new ConfigError(`TRUTO_OAUTH_CLIENTS.${integration} needs string clientId and clientSecret`);
    }
    clients[integration] = { clientId, clientSecret };
  }
  return clients;
}

/** Express's `trust proxy` setting: a hop count, `true`/`false`, or addresses and subnets. */
export type TrustProxy = boolean | number | string | readonly string[];

/**
 * Parses `--trust-proxy` / `TRUST_PROXY` the way Express reads `trust proxy`: `true` or
 * `false`, a hop count (`1`), or a comma-separated list of addresses, subnets and the names
 * `loopback`, `linklocal`, `uniquelocal`.
 */
export function parseTrustProxy(value: string): TrustProxy {
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed.split(',').map((entry) => entry.trim());
  if (trimmed === '' || entries.some((entry) => entry === '')) {
    throw new ConfigError(`trust proxy "${value}" must be true, false, a hop count or addresses`);
  }
  return entries;
}

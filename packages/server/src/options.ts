/**
 * The helper's options, validated once when it is created: an unknown key, a `baseUrl` that is
 * not an http(s) URL, a missing function or a redirect target that could leave the app throws a
 * `TypeError` naming the option, so a misconfiguration fails at start-up, not on a user's click.
 * @module
 */
import { normalizeBaseUrl } from './admin-client.js';
import { checkOnceStore, MemoryOnceStore, type OnceStore } from './once-store.js';
import { checkRedirectTarget } from './redirect-target.js';

/** What `onConnected` receives: the account as the platform has it now. */
export interface Connection {
  integratedAccountId: string;
  integration: string;
  externalId: string;
  status: string;
  context: Record<string, unknown>;
}

/** A verified webhook event, as the platform sends it. */
export interface WebhookEvent {
  id: string;
  type: string;
  createdAt: string;
  data: {
    integratedAccountId: string;
    integration: string;
    status: string;
    externalId?: string;
    statusReason?: string;
    [key: string]: unknown;
  };
}

export type ExternalIdResolver<Req> = (
  req: Req,
) => string | number | null | undefined | Promise<string | number | null | undefined>;

export interface TrutoConnectOptions<Req = unknown> {
  /** The platform's public URL (its JWKS and the `iss` of what it signs), e.g. `https://connect.acme.com`. */
  baseUrl: string;
  /** The tenant's Admin API token. Stays on the server; never sent to the browser. */
  apiToken: string;
  /** Who is signed in: the end user's id, or `undefined` (answered 401). */
  externalId: ExternalIdResolver<Req>;
  /** Called once per connect result, after it was verified. */
  onConnected: (connection: Connection, req: Req) => void | Promise<void>;
  /** Called once per verified webhook event id. Keep it quick; queue heavy work. */
  onEvent?: (event: WebhookEvent) => void | Promise<void>;
  /** Only these integrations may be connected (all when absent). */
  integrations?: readonly string[];
  /** Where `GET /callback` sends the browser (default `/` for both). */
  redirect?: { success?: string; failure?: string; allowedOrigins?: readonly string[] };
  /** The URL the browser reaches this app at (`https://app.acme.com`); default: from each request. */
  publicUrl?: string;
  /** Once-only memory of result and event ids; default in memory (one process). */
  store?: OnceStore;
  /** This tenant's id; when absent, learned from the first result or event the Admin API confirms. */
  tenantId?: string;
  /** Told of every 5xx the routes answer (default: `console.error`). */
  onError?: (error: Error) => void;
}

export interface ResolvedOptions<Req> {
  baseUrl: string;
  apiToken: string;
  externalId: ExternalIdResolver<Req>;
  onConnected: (connection: Connection, req: Req) => void | Promise<void>;
  onEvent: ((event: WebhookEvent) => void | Promise<void>) | undefined;
  integrations: ReadonlySet<string> | undefined;
  redirect: { success: string; failure: string };
  publicUrl: string | undefined;
  store: OnceStore;
  tenantId: string | undefined;
  onError: (error: Error) => void;
}

const KNOWN_OPTIONS = new Set([
  'baseUrl',
  'apiToken',
  'externalId',
  'onConnected',
  'onEvent',
  'integrations',
  'redirect',
  'publicUrl',
  'store',
  'tenantId',
  'onError',
]);
const REDIRECT_OPTIONS = new Set(['success', 'failure', 'allowedOrigins']);

function checkFunction(value: unknown, option: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'function') throw new TypeError(`${option} must be a function`);
}

export function resolveOptions<Req>(options: TrutoConnectOptions<Req>): ResolvedOptions<Req> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new TypeError(`unknown option "${key}"`);
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  if (typeof options.apiToken !== 'string' || options.apiToken.trim() === '') {
    throw new TypeError('apiToken must be a non-empty string');
  }
  checkFunction(options.externalId, 'externalId', true);
  checkFunction(options.onConnected, 'onConnected', true);
  checkFunction(options.onEvent, 'onEvent', false);
  checkFunction(options.onError, 'onError', false);

  let integrations: Set<string> | undefined;
  if (options.integrations !== undefined) {
    if (
      !Array.isArray(options.integrations) ||
      options.integrations.length === 0 ||
      !options.integrations.every((name) => typeof name === 'string' && name !== '')
    ) {
      throw new TypeError('integrations must be a non-empty array of integration names');
    }
    integrations = new Set(options.integrations);
  }

  const publicUrl =
    options.publicUrl === undefined ? undefined : normalizeBaseUrl(options.publicUrl, 'publicUrl');
  const redirect = options.redirect ?? {};
  if (typeof redirect !== 'object' || redirect === null) throw new TypeError('redirect must be an object');
  for (const key of Object.keys(redirect)) {
    if (!REDIRECT_OPTIONS.has(key)) throw new TypeError(`unknown option "redirect.${key}"`);
  }
  const allowedOrigins: string[] = publicUrl ? [new URL(publicUrl).origin] : [];
  if (redirect.allowedOrigins !== undefined) {
    if (!Array.isArray(redirect.allowedOrigins))
      throw new TypeError('redirect.allowedOrigins must be an array');
    for (const origin of redirect.allowedOrigins) {
      const normalized = normalizeBaseUrl(origin, 'redirect.allowedOrigins');
      if (new URL(normalized).origin !== normalized) {
        throw new TypeError('redirect.allowedOrigins must hold origins (scheme, host and port only)');
      }
      allowedOrigins.push(normalized);
    }
  }

  if (options.tenantId !== undefined && (typeof options.tenantId !== 'string' || options.tenantId === '')) {
    throw new TypeError('tenantId must be a non-empty string');
  }

  return {
    baseUrl,
    apiToken: options.apiToken,
    externalId: options.externalId,
    onConnected: options.onConnected,
    onEvent: options.onEvent,
    integrations,
    redirect: {
      success: checkRedirectTarget(redirect.success ?? '/', 'redirect.success', allowedOrigins),
      failure: checkRedirectTarget(redirect.failure ?? '/', 'redirect.failure', allowedOrigins),
    },
    publicUrl,
    store: options.store === undefined ? new MemoryOnceStore() : checkOnceStore(options.store),
    tenantId: options.tenantId,
    onError: options.onError ?? ((error) => console.error('[truto-connect]', error)),
  };
}

/**
 * What the routes do, with no HTTP in it: mint a link token for the signed-in user, act once on
 * a verified result, and once on each verified webhook event. The routes (and an adapter for
 * another framework) only map requests to these calls and errors to answers.
 * @module
 */
import type { JWTVerifyGetKey } from 'jose';
import type { AdminClient, IntegratedAccount } from './admin-client.js';
import { AdminApiError, TrutoConnectError } from './errors.js';
import type { Connection, ResolvedOptions, WebhookEvent } from './options.js';
import { fromAdminError, type TenantBinding } from './tenant-binding.js';
import { verifyConnectResult } from './verify-result.js';
import { verifyWebhook } from './verify-webhook.js';

/** How long an event id is remembered: longer than the platform retries one event. */
export const EVENT_MEMORY_SECONDS = 7 * 24 * 3600;

export interface LinkTokenInput {
  integration: string;
  integratedAccountId?: string;
  authFormat?: string;
}

export interface LinkTokenAnswer {
  linkToken: string;
  linkUrl: string;
  expiresAt: string;
}

export interface CoreDependencies<Req> {
  options: ResolvedOptions<Req>;
  admin: AdminClient;
  keys: JWTVerifyGetKey;
  tenant: TenantBinding;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const AUTH_FORMAT = /^[a-z0-9_]{1,50}$/;

/** Reads `{integration, integratedAccountId?, authFormat?}`; anything else in the body is ignored. */
export function parseLinkTokenInput(body: unknown): LinkTokenInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TrutoConnectError('invalid_request', 'the body must be a JSON object');
  }
  const { integration, integratedAccountId, authFormat } = body as Record<string, unknown>;
  if (typeof integration !== 'string' || !NAME.test(integration)) {
    throw new TrutoConnectError('invalid_request', 'integration must be an integration name');
  }
  if (
    integratedAccountId !== undefined &&
    (typeof integratedAccountId !== 'string' || !NAME.test(integratedAccountId))
  ) {
    throw new TrutoConnectError('invalid_request', 'integratedAccountId must be an account id');
  }
  if (authFormat !== undefined && (typeof authFormat !== 'string' || !AUTH_FORMAT.test(authFormat))) {
    throw new TrutoConnectError(
      'invalid_request',
      'authFormat must be an auth method name such as oauth2 or api_key',
    );
  }
  return {
    integration,
    ...(integratedAccountId === undefined ? {} : { integratedAccountId }),
    ...(authFormat === undefined ? {} : { authFormat }),
  };
}

export function connectionOf(
  account: IntegratedAccount,
  fallback: { integratedAccountId: string; integration: string; externalId: string },
): Connection {
  return {
    integratedAccountId: account.id ?? fallback.integratedAccountId,
    integration: account.integration ?? fallback.integration,
    externalId: account.externalId ?? fallback.externalId,
    status: account.status ?? 'error',
    context: account.context ?? {},
  };
}

export class ConnectCore<Req> {
  readonly #d: CoreDependencies<Req>;

  constructor(deps: CoreDependencies<Req>) {
    this.#d = deps;
  }

  /** The signed-in user's id from the resolver; `unauthenticated` when there is none. */
  async userOf(req: Req): Promise<string> {
    const id = await this.#d.options.externalId(req);
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') {
      throw new TrutoConnectError('unauthenticated', 'sign in first');
    }
    return String(id);
  }

  /** A link token for `user`, whose result comes back to `callbackUrl`. */
  async createLinkToken(user: string, input: LinkTokenInput, callbackUrl: string): Promise<LinkTokenAnswer> {
    const { options, admin } = this.#d;
    if (options.integrations && !options.integrations.has(input.integration)) {
      throw new TrutoConnectError(
        'integration_not_allowed',
        `integration "${input.integration}" is not offered here`,
      );
    }
    if (input.integratedAccountId !== undefined) {
      // Reconnect: only the user's own account. Another tenant's or user's looks the same (403).
      let account: IntegratedAccount | undefined;
      try {
        account = await admin.getIntegratedAccount(input.integratedAccountId);
      } catch (error) {
        if (!(error instanceof AdminApiError && error.status === 404)) throw fromAdminError(error);
      }
      if (!account || account.externalId !== user) {
        throw new TrutoConnectError('account_not_owned', 'that account is not one of yours');
      }
      if (account.integration !== input.integration) {
        throw new TrutoConnectError('invalid_request', `that account is not a ${input.integration} account`);
      }
    }
    let token: Awaited<ReturnType<AdminClient['createLinkToken']>>;
    try {
      token = await admin.createLinkToken({
        integration: input.integration,
        externalId: user,
        redirectUri: callbackUrl,
        ...(input.integratedAccountId === undefined
          ? {}
          : { integratedAccountId: input.integratedAccountId }),
      });
    } catch (error) {
      if (error instanceof AdminApiError && error.status === 400 && error.error === 'unknown_integration') {
        throw new TrutoConnectError(
          'invalid_request',
          `integration "${input.integration}" is not in the platform's catalogue`,
        );
      }
      throw fromAdminError(error);
    }
    if (!token.token || !token.linkUrl || !token.expiresAt) {
      throw new TrutoConnectError('platform_error', 'the platform answered without a link token');
    }
    const linkUrl = new URL(token.linkUrl);
    if (input.authFormat) linkUrl.searchParams.set('authFormat', input.authFormat);
    return { linkToken: token.token, linkUrl: linkUrl.href, expiresAt: token.expiresAt };
  }

  /**
   * Verifies `result` for `user` and calls `onConnected` the first time this result is seen.
   * `duplicate` is true when it had been acted on already.
   */
  async complete(
    user: string,
    result: unknown,
    req: Req,
  ): Promise<{ connection: Connection; duplicate: boolean }> {
    const { options, keys, tenant } = this.#d;
    const claims = await verifyConnectResult(result, {
      keys,
      issuer: options.baseUrl,
      tenantId: tenant.tenantId,
    });
    if (claims.externalId !== user) {
      throw new TrutoConnectError('external_id_mismatch', 'this result belongs to another user');
    }
    const account = await tenant.account(claims.integratedAccountId, claims.tenantId);
    if (account.integration !== undefined && account.integration !== claims.integration) {
      throw new TrutoConnectError('invalid_result', 'the result does not match its account');
    }
    const connection = connectionOf(account, { ...claims, externalId: user });
    const ttl = Math.max(60, claims.expiresAt - Math.floor(Date.now() / 1000) + 60);
    const key = `result:${claims.id}`;
    if (!(await options.store.claim(key, ttl))) return { connection, duplicate: true };
    try {
      await options.onConnected(connection, req);
    } catch (error) {
      await options.store.release?.(key);
      throw new TrutoConnectError('handler_failed', 'onConnected failed; the same result can be sent again', {
        cause: error,
      });
    }
    return { connection, duplicate: false };
  }

  /** Verifies a delivery and calls `onEvent` the first time its event id is seen. */
  async receiveWebhook(
    body: Uint8Array,
    signature: string | undefined,
  ): Promise<{ event: WebhookEvent; duplicate: boolean }> {
    const { options, keys, tenant } = this.#d;
    const { event, tenantId } = await verifyWebhook(body, signature, {
      keys,
      issuer: options.baseUrl,
      tenantId: tenant.tenantId,
    });
    if (tenant.tenantId === undefined) {
      // Not yet known: the event's account, seen with this helper's token, proves the tenant.
      try {
        await tenant.account(String(event.data.integratedAccountId), tenantId);
      } catch (error) {
        if (
          error instanceof TrutoConnectError &&
          error.code === 'wrong_tenant' &&
          event.type.endsWith(':deleted')
        ) {
          // A deleted account cannot prove anything: ask the platform to retry later.
          throw new TrutoConnectError(
            'tenant_unknown',
            'this tenant is not known yet; set the tenantId option',
            {
              cause: error,
              headers: { 'Retry-After': '60' },
            },
          );
        }
        throw error;
      }
    }
    const key = `event:${event.id}`;
    if (!(await options.store.claim(key, EVENT_MEMORY_SECONDS))) return { event, duplicate: true };
    try {
      await options.onEvent?.(event);
    } catch (error) {
      await options.store.release?.(key);
      throw new TrutoConnectError('handler_failed', 'onEvent failed; the platform will retry', {
        cause: error,
      });
    }
    return { event, duplicate: false };
  }
}

/**
 * The four routes as plain request/answer mapping, with no framework: `POST /link-token`,
 * `POST /complete`, `GET /callback` and `POST /webhook`. An adapter (see `express.ts`) turns
 * its framework's request into a {@link HelperRequest} and writes the {@link HelperResponse}.
 * @module
 */
import type { ConnectCore } from './connect-core.js';
import { parseLinkTokenInput } from './connect-core.js';
import { TrutoConnectError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { redirectWithOutcome } from './redirect-target.js';
import { checkJsonContentType, checkSameOrigin, parseJson } from './request-guards.js';

export interface HelperRequest<Req> {
  method: string;
  /** The path below the mount point: `/link-token`, `/complete`, `/callback`, `/webhook`. */
  path: string;
  query: URLSearchParams;
  header(name: string): string | undefined;
  /** The mount point as the browser reaches it, e.g. `https://app.acme.com/truto`. */
  mountUrl: string;
  /** The raw body, at most `limit` bytes (`payload_too_large` beyond). */
  body(limit: number, options: { raw: boolean }): Promise<Uint8Array>;
  /** The framework's own request, handed to `externalId` and `onConnected`. */
  native: Req;
}

export interface HelperResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export const JSON_BODY_LIMIT = 16 * 1024;
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const ROUTES: Record<string, string> = {
  '/link-token': 'POST',
  '/complete': 'POST',
  '/callback': 'GET',
  '/webhook': 'POST',
};

/** A code the platform put in `?error=`: passed on only if it looks like one. */
const ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HelperResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export function errorResponse(error: TrutoConnectError): HelperResponse {
  return json(error.status, error.toBody(), error.headers);
}

export function createRoutes<Req>(core: ConnectCore<Req>, options: ResolvedOptions<Req>) {
  const see = (target: string): HelperResponse => ({
    status: 303,
    headers: { location: target, 'cache-control': 'no-store' },
  });

  async function browserJson(request: HelperRequest<Req>): Promise<{ user: string; body: unknown }> {
    checkSameOrigin(request.header, () => new URL(request.mountUrl).origin);
    checkJsonContentType(request.header);
    const user = await core.userOf(request.native);
    const body = parseJson(await request.body(JSON_BODY_LIMIT, { raw: false }));
    return { user, body };
  }

  const handlers: Record<string, (request: HelperRequest<Req>) => Promise<HelperResponse>> = {
    async '/link-token'(request) {
      const { user, body } = await browserJson(request);
      const answer = await core.createLinkToken(
        user,
        parseLinkTokenInput(body),
        `${request.mountUrl}/callback`,
      );
      return json(201, answer);
    },

    async '/complete'(request) {
      const { user, body } = await browserJson(request);
      if (typeof body !== 'object' || body === null || !('result' in body)) {
        throw new TrutoConnectError('invalid_request', 'the body must be {"result": "<signed result>"}');
      }
      const { connection } = await core.complete(user, (body as { result: unknown }).result, request.native);
      return json(200, { connection });
    },

    async '/callback'(request) {
      const { success, failure } = options.redirect;
      const result = request.query.get('result');
      const platformError = request.query.get('error');
      try {
        if (!result) {
          const code = platformError && ERROR_CODE.test(platformError) ? platformError : 'connection_error';
          return see(redirectWithOutcome(failure, { truto: 'error', error: code }));
        }
        const user = await core.userOf(request.native);
        const { connection } = await core.complete(user, result, request.native);
        const outcome = {
          integratedAccountId: connection.integratedAccountId,
          integration: connection.integration,
        };
        // A result with an error (post-install failed) names an account that exists, in `error`.
        if (platformError || connection.status === 'error') {
          const code = platformError && ERROR_CODE.test(platformError) ? platformError : 'post_install_error';
          return see(redirectWithOutcome(failure, { truto: 'error', error: code, ...outcome }));
        }
        return see(redirectWithOutcome(success, { truto: 'connected', ...outcome }));
      } catch (error) {
        const refusal =
          error instanceof TrutoConnectError
            ? error
            : new TrutoConnectError('internal_error', 'the result could not be handled', { cause: error });
        if (refusal.status >= 500) options.onError(refusal);
        return see(redirectWithOutcome(failure, { truto: 'error', error: refusal.code }));
      }
    },

    async '/webhook'(request) {
      const body = await request.body(WEBHOOK_BODY_LIMIT, { raw: true });
      const { duplicate } = await core.receiveWebhook(body, request.header('truto-signature'));
      return json(200, { received: true, ...(duplicate ? { duplicate: true } : {}) });
    },
  };

  /** The answer, or undefined when the path is not one of the helper's (the app goes on). */
  return async function route(request: HelperRequest<Req>): Promise<HelperResponse | undefined> {
    const path = request.path.replace(/\/+$/, '') || '/';
    const method = ROUTES[path];
    const handler = handlers[path];
    if (!method || !handler) return undefined;
    if (request.method !== method) {
      return errorResponse(
        new TrutoConnectError('method_not_allowed', `${path} answers ${method} only`, {
          headers: { allow: method },
        }),
      );
    }
    try {
      return await handler(request);
    } catch (error) {
      const refusal =
        error instanceof TrutoConnectError
          ? error
          : new TrutoConnectError('internal_error', 'the request could not be handled', { cause: error });
      if (refusal.status >= 500) options.onError(refusal);
      return errorResponse(refusal);
    }
  };
}

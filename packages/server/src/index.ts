/**
 * @truto-connect/server: the backend helper of truto-connect. `trutoConnect` is Express
 * middleware that mints link tokens for the signed-in user and verifies connect results and
 * webhooks; `createAdminClient` is a typed client of the Admin API. The verification functions
 * are framework-free, for use from any server.
 *
 * @example
 * ```ts
 * import { trutoConnect, createAdminClient } from '@truto-connect/server';
 * app.use('/truto', trutoConnect({
 *   baseUrl: 'https://connect.acme.com',
 *   apiToken: process.env.TRUTO_API_TOKEN,
 *   externalId: (req) => req.user?.id,
 *   onConnected: async (connection) => { await db.connections.upsert(connection); },
 * }));
 * ```
 * @module
 */
export {
  type AdminClient,
  type AdminClientOptions,
  type CreateIntegratedAccountRequest,
  type CreateLinkTokenRequest,
  type CreateMcpServerRequest,
  type components,
  createAdminClient,
  type IntegratedAccount,
  type IntegratedAccountList,
  type JsonWebKeySet,
  type LinkToken,
  type ListIntegratedAccountsQuery,
  type McpServer,
  type operations,
  type paths,
} from './admin-client.js';
export {
  AdminApiError,
  type ErrorBody,
  TRUTO_CONNECT_ERROR_CODES,
  TRUTO_CONNECT_ERROR_STATUS,
  TrutoConnectError,
  type TrutoConnectErrorCode,
} from './errors.js';
export { type ExpressLikeRequest, type TrutoConnectMiddleware, trutoConnect } from './express.js';
export { MemoryOnceStore, type OnceStore } from './once-store.js';
export type { Connection, ExternalIdResolver, TrutoConnectOptions, WebhookEvent } from './options.js';
export { JWKS_PATH, platformKeys } from './platform-keys.js';
export {
  type ConnectResultClaims,
  RESULT_TYPE,
  type VerifyConnectResultOptions,
  verifyConnectResult,
} from './verify-result.js';
export {
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  WEBHOOK_MAX_AGE_SECONDS,
  WEBHOOK_SIGNATURE_TYPE,
} from './verify-webhook.js';

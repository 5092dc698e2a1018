/**
 * The wire protocol between `<truto-connect>` and the platform's connect pages, declared once
 * and imported by both sides (`@truto-connect/widget/protocol`). Types and constants only: no
 * DOM, no Lit, so the platform imports it in Node.
 *
 * - The widget opens `linkUrl` with `mode`, `nonce`, `origin` and `status` added: `status` is
 *   the SHA-256 of a status secret that only the widget holds (never in a URL or window name).
 * - The pages answer by `postMessage` to the opener (popup) or parent (modal), with the widget's
 *   exact origin as target: a {@link FlowMessage}.
 * - When the provider's pages cut `window.opener` (COOP), the pages record the outcome under
 *   that hash, and the widget reads it from the status channel: `GET <platform>/link/status`
 *   with the secret in the {@link STATUS_SECRET_HEADER} header, answered by a {@link StatusBody}.
 * - The modal's frame cannot show a provider (providers refuse framing): it opens the sign-in
 *   in a popup of its own and posts `detached`, so the widget polls the status channel.
 *
 * @example
 * ```ts
 * import { MESSAGE_SOURCE, type FlowMessage } from '@truto-connect/widget/protocol';
 * const message: FlowMessage = { source: MESSAGE_SOURCE, nonce, type: 'close' };
 * ```
 * @module
 */

/** Every message of the flow carries this as `source`. */
export const MESSAGE_SOURCE = 'truto-connect';

/** The ways the widget opens the flow. */
export const FLOW_MODES = ['popup', 'modal', 'redirect'] as const;
export type FlowMode = (typeof FLOW_MODES)[number];

/** The codes a failed flow carries; they follow the Truto link SDK where they overlap. */
export const ERROR_CODES = [
  'invalid_token',
  'invalid_integration',
  'connection_error',
  'post_install_error',
  'validation_error',
  'popup_blocked',
  'closed',
  'network_error',
] as const;
export type TrutoConnectErrorCode = (typeof ERROR_CODES)[number];

/** Query parameters the widget adds to `linkUrl`. */
export const FLOW_PARAMS = {
  mode: 'mode',
  nonce: 'nonce',
  origin: 'origin',
  /** base64url SHA-256 of the status secret: the flow's key on the status channel. */
  statusHash: 'status',
} as const;

/** The status channel's path on the platform. */
export const STATUS_PATH = '/link/status';
/** The request header that carries the status secret (so it is never in a URL). */
export const STATUS_SECRET_HEADER = 'Truto-Status-Secret';

export interface FlowSuccess {
  type: 'success';
  integratedAccountId: string;
  integration: string;
  /** The signed result (a JWT). */
  result: string;
  status: string;
}

export interface FlowFailure {
  type: 'error';
  code: TrutoConnectErrorCode;
  message: string;
  /** `expired` when the link token was used or expired: the widget may fetch a new one. */
  reason?: 'expired';
  /** Set when the account was created but its setup failed. */
  integratedAccountId?: string;
  result?: string;
}

/** How a flow ended. */
export type FlowOutcomeBody = FlowSuccess | FlowFailure;

/** The flow went on in a window the widget cannot see: read the status channel. */
export interface FlowDetached {
  type: 'detached';
}

/** What the pages post to the widget. */
export type FlowMessage = { source: typeof MESSAGE_SOURCE; nonce: string } & (FlowOutcomeBody | FlowDetached);

/** Where a flow stands on the status channel. */
export const FLOW_STATES = ['pending', 'provider', 'success', 'error'] as const;
export type FlowState = (typeof FLOW_STATES)[number];

/** The status channel's answer. */
export type StatusBody =
  | { state: 'pending' | 'provider' }
  | ({ state: 'success' } & FlowSuccess)
  | ({ state: 'error' } & FlowFailure);

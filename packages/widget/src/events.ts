/**
 * The events of `<truto-connect>`. Each bubbles and is composed, so it leaves shadow roots.
 * @module
 */
import type { TrutoConnectErrorCode } from './errors.js';

/** The account as the backend helper's `/complete` answers it (`{connection}`). */
export interface TrutoConnection {
  integratedAccountId: string;
  integration: string;
  externalId: string;
  status: string;
  context: Record<string, unknown>;
}

export interface TrutoConnectResult {
  integratedAccountId: string;
  integration: string;
  /** The signed result (a JWT); verify it on your server before acting on it. */
  result: string;
  /** With `complete-url`: the server's `connection`, once it verified and accepted `result`. */
  connection?: TrutoConnection;
}

export interface TrutoConnectErrorDetail {
  code: TrutoConnectErrorCode;
  message: string;
}

export interface TrutoConnectCloseDetail {
  /** `user` when the end user closed the window or dialog, `api` when `close()` was called. */
  reason: 'user' | 'api';
}

const init = { bubbles: true, composed: true } as const;

/** The account was connected. */
export class TrutoConnectSuccessEvent extends CustomEvent<TrutoConnectResult> {
  static readonly type = 'truto-connect-success';
  constructor(detail: TrutoConnectResult) {
    super(TrutoConnectSuccessEvent.type, { ...init, detail });
  }
}

/** The flow failed; `detail.code` says how. */
export class TrutoConnectErrorEvent extends CustomEvent<TrutoConnectErrorDetail> {
  static readonly type = 'truto-connect-error';
  constructor(detail: TrutoConnectErrorDetail) {
    super(TrutoConnectErrorEvent.type, { ...init, detail });
  }
}

/** The flow ended without a result: the window or dialog was closed. */
export class TrutoConnectCloseEvent extends CustomEvent<TrutoConnectCloseDetail> {
  static readonly type = 'truto-connect-close';
  constructor(detail: TrutoConnectCloseDetail) {
    super(TrutoConnectCloseEvent.type, { ...init, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'truto-connect-success': TrutoConnectSuccessEvent;
    'truto-connect-error': TrutoConnectErrorEvent;
    'truto-connect-close': TrutoConnectCloseEvent;
  }
}

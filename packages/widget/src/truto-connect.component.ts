import { html, LitElement, nothing } from 'lit';
import {
  createNonce,
  createStatusSecret,
  type FlowMode,
  type FlowOutcome,
  flowUrl,
  isFlowMessage,
  readOutcome,
  readStatus,
  statusHashOf,
} from './connect-protocol.js';
import { TrutoConnectError } from './errors.js';
import {
  TrutoConnectCloseEvent,
  TrutoConnectErrorEvent,
  type TrutoConnectResult,
  TrutoConnectSuccessEvent,
} from './events.js';
import { fetchLinkToken, isExpired, type LinkTokenInfo, linkUrlFor } from './link-token.js';
import { FLOW_MODES } from './protocol.js';
import { styles } from './truto-connect.styles.js';

/** Texts the element shows besides its label; set `strings` to translate them. */
export interface TrutoConnectStrings {
  close: string;
  detached: string;
  cancel: string;
}

const DEFAULT_STRINGS: TrutoConnectStrings = {
  close: 'Close',
  detached: 'Finishing the connection in the other window…',
  cancel: 'Cancel',
};

const MODES: readonly string[] = FLOW_MODES;
const CLOSED_POLL_MS = 400;
const STATUS_POLL_MS = 1000;
/** How long to wait on the status channel without a known token expiry. */
const DETACHED_LIMIT_MS = 10 * 60_000;

interface Flow {
  nonce: string;
  /** Reads the status channel; sent in a header only (the flow URL carries its hash). */
  statusSecret: string;
  /** Whether the status channel is being polled. */
  polling: boolean;
  mode: FlowMode;
  popup: Window | null;
  platformOrigin?: string;
  /** The window whose messages count: the popup or the iframe. */
  source?: unknown;
  expiresAt?: number | undefined;
  refetched: boolean;
  settled: boolean;
  cleanups: Array<() => void>;
  resolve: (result: TrutoConnectResult) => void;
  reject: (error: TrutoConnectError) => void;
  promise: Promise<TrutoConnectResult>;
}

function openBlankPopup(name: string): Window | null {
  const width = 480;
  const height = 720;
  const left = Math.max(0, window.screenX + (window.outerWidth - width) / 2);
  const top = Math.max(0, window.screenY + (window.outerHeight - height) / 2);
  let popup: Window | null = null;
  try {
    popup = window.open('', name, `popup=yes,width=${width},height=${height},left=${left},top=${top}`);
  } catch {
    return null;
  }
  try {
    if (popup) popup.document.title = 'Connecting…';
  } catch {
    // Not our document any more; nothing to label.
  }
  return popup;
}

function asError(error: unknown): TrutoConnectError {
  return error instanceof TrutoConnectError
    ? error
    : new TrutoConnectError('connection_error', (error as Error)?.message ?? 'the flow failed', {
        cause: error,
      });
}

/**
 * A button that opens the Truto connect flow for one integration and reports the result as
 * events and as the promise `open()` returns.
 *
 * @tag truto-connect
 * @summary Connects an end user's third-party account through the Truto connect flow.
 *
 * @slot - The button's label. Default: "Connect".
 *
 * @event {TrutoConnectSuccessEvent} truto-connect-success - The account was connected; `detail` is `{integratedAccountId, integration, result}`.
 * @event {TrutoConnectErrorEvent} truto-connect-error - The flow failed; `detail` is `{code, message}`.
 * @event {TrutoConnectCloseEvent} truto-connect-close - The window or dialog was closed without a result; `detail` is `{reason}`.
 *
 * @csspart button - The button that starts the flow.
 * @csspart dialog - The dialog of `mode="modal"`.
 * @csspart frame - The iframe inside the dialog.
 * @csspart close-button - The dialog's close button.
 * @csspart status - The note shown while the flow finishes in a window the page lost sight of.
 *
 * @cssprop [--truto-connect-accent=#4338ca] - Button background (light scheme).
 * @cssprop [--truto-connect-accent-text=#fff] - Button text.
 * @cssprop [--truto-connect-focus=#1d4ed8] - Focus ring.
 * @cssprop [--truto-connect-radius=8px] - Corner radius of the button and dialog.
 * @cssprop [--truto-connect-surface=#fff] - Dialog background.
 * @cssprop [--truto-connect-text=#111827] - Dialog text.
 * @cssprop [--truto-connect-backdrop=rgb(17 24 39 / 0.55)] - Backdrop behind the dialog.
 */
export class TrutoConnectElement extends LitElement {
  static override styles = styles;

  static override properties = {
    integration: { type: String, reflect: true },
    tokenUrl: { type: String, attribute: 'token-url' },
    linkToken: { type: String, attribute: 'link-token' },
    platformUrl: { type: String, attribute: 'platform-url' },
    integratedAccountId: { type: String, attribute: 'integrated-account-id' },
    mode: { type: String, reflect: true },
    popupFallback: { type: String, attribute: 'popup-fallback' },
    disabled: { type: Boolean, reflect: true },
    strings: { attribute: false },
    _frameUrl: { state: true },
    _detached: { state: true },
    _busy: { state: true },
  };

  /** The integration to connect (`bamboohr`), sent to `token-url`. */
  declare integration: string;
  /** The backend helper's link-token endpoint; POSTed `{integration}` as JSON. */
  declare tokenUrl: string | undefined;
  /** A link token the page fetched itself; needs `platform-url`. */
  declare linkToken: string | undefined;
  /** The platform's public URL, to build `linkUrl` for a `link-token`. */
  declare platformUrl: string | undefined;
  /** Reconnect this account instead of creating one (sent to `token-url`). */
  declare integratedAccountId: string | undefined;
  /** `popup` (default), `modal` or `redirect`. */
  declare mode: FlowMode;
  /** What a blocked popup falls back to: `modal` (default), `redirect` or `none`. */
  declare popupFallback: 'modal' | 'redirect' | 'none';
  /** Disables the button. */
  declare disabled: boolean;
  /** Texts besides the label, for translation. */
  declare strings: Partial<TrutoConnectStrings>;
  declare _frameUrl: string | undefined;
  declare _detached: boolean;
  declare _busy: boolean;

  #flow: Flow | undefined;
  #prefetched: Promise<LinkTokenInfo | undefined> | undefined;

  constructor() {
    super();
    this.integration = '';
    this.mode = 'popup';
    this.popupFallback = 'modal';
    this.disabled = false;
    this.strings = {};
    this._detached = false;
    this._busy = false;
    // Fetch the token while the pointer approaches, so a click opens the flow at once.
    this.addEventListener('pointerenter', () => this.#prefetch());
    this.addEventListener('focusin', () => this.#prefetch());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#flow) this.#finish(this.#flow, { type: 'close' }, 'api');
  }

  /**
   * Opens the flow. Call it from a click handler: the popup opens before anything is awaited,
   * so popup blockers let it through. Resolves with the result; rejects with a
   * `TrutoConnectError` whose `code` says why. While a flow is open, returns that flow's promise.
   */
  open(): Promise<TrutoConnectResult> {
    if (this.#flow) {
      this.#flow.popup?.focus();
      return this.#flow.promise;
    }
    let resolve!: (r: TrutoConnectResult) => void;
    let reject!: (e: TrutoConnectError) => void;
    const promise = new Promise<TrutoConnectResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const mode = MODES.includes(this.mode) ? this.mode : 'popup';
    const nonce = createNonce();
    // Synchronously, before any await: this is what popup blockers let through. The window's
    // name is readable by any page it shows, so it carries nothing of the flow.
    const popup = mode === 'popup' ? openBlankPopup('_blank') : null;
    const flow: Flow = {
      nonce,
      statusSecret: '',
      polling: false,
      mode,
      popup,
      refetched: false,
      settled: false,
      cleanups: [],
      resolve,
      reject,
      promise,
    };
    this.#flow = flow;
    this._busy = true;
    if (!MODES.includes(this.mode)) {
      this.#fail(
        flow,
        new TrutoConnectError(
          'validation_error',
          `mode must be popup, modal or redirect, not "${this.mode}"`,
        ),
      );
    } else {
      void this.#start(flow);
    }
    return promise;
  }

  /** Ends the open flow, if any, as closed. */
  close(): void {
    if (this.#flow) this.#finish(this.#flow, { type: 'close' }, 'api');
  }

  override render() {
    const strings = { ...DEFAULT_STRINGS, ...this.strings };
    const label = `Connect ${this.integration}`.trim();
    return html`<button
        part="button"
        type="button"
        ?disabled=${this.disabled}
        aria-busy=${this._busy ? 'true' : 'false'}
        @click=${this.#onClick}
      >
        <slot>Connect</slot></button
      >${
        this._detached
          ? html`<p part="status" role="status">
              ${strings.detached}<button type="button" @click=${() => this.#cancel()}>${strings.cancel}</button>
            </p>`
          : nothing
      }${
        this._frameUrl
          ? html`<dialog part="dialog" aria-modal="true" aria-label=${label} @cancel=${this.#onDialogCancel}>
              <iframe part="frame" title=${label} src=${this._frameUrl}></iframe>
              <button part="close-button" type="button" aria-label=${strings.close} @click=${() => this.#cancel()}>×</button>
            </dialog>`
          : nothing
      }`;
  }

  #onClick = () => {
    // Failures are reported as events; the promise is for callers of open().
    this.open().catch(() => undefined);
  };

  #onDialogCancel = (event: Event) => {
    event.preventDefault();
    this.#cancel();
  };

  #cancel(): void {
    if (this.#flow) this.#finish(this.#flow, { type: 'close' }, 'user');
  }

  #prefetch(): void {
    if (
      this.disabled ||
      this.#prefetched ||
      this.#flow ||
      this.linkToken ||
      !this.tokenUrl ||
      !this.integration
    )
      return;
    this.#prefetched = this.#fetchToken().catch(() => undefined);
  }

  #fetchToken(): Promise<LinkTokenInfo> {
    const body: Record<string, string> = { integration: this.integration };
    if (this.integratedAccountId) body.integratedAccountId = this.integratedAccountId;
    return fetchLinkToken(this.tokenUrl as string, body);
  }

  async #linkToken(flow: Flow): Promise<LinkTokenInfo> {
    if (this.linkToken) {
      if (!this.platformUrl) throw new TrutoConnectError('validation_error', 'link-token needs platform-url');
      return {
        token: this.linkToken,
        linkUrl: linkUrlFor(this.platformUrl, this.linkToken),
        expiresAt: undefined,
      };
    }
    if (!this.tokenUrl) throw new TrutoConnectError('validation_error', 'set token-url or link-token');
    if (!this.integration) throw new TrutoConnectError('validation_error', 'integration is required');
    const prefetched = this.#prefetched;
    this.#prefetched = undefined;
    let info = (prefetched && (await prefetched)) || (await this.#fetchToken());
    if (isExpired(info)) {
      // A token that expired before use is fetched again, once.
      flow.refetched = true;
      info = await this.#fetchToken();
    }
    return info;
  }

  async #start(flow: Flow): Promise<void> {
    try {
      const info = await this.#linkToken(flow);
      let mode = flow.mode;
      if (mode === 'popup' && !flow.popup) {
        if (this.popupFallback === 'none') {
          throw new TrutoConnectError('popup_blocked', 'the browser blocked the popup');
        }
        mode = this.popupFallback === 'redirect' ? 'redirect' : 'modal';
      }
      if (!flow.settled) await this.#navigate(flow, mode, info);
    } catch (error) {
      this.#fail(flow, asError(error));
    }
  }

  async #navigate(flow: Flow, mode: FlowMode, info: LinkTokenInfo): Promise<void> {
    let platform: URL;
    try {
      platform = new URL(info.linkUrl);
    } catch (cause) {
      throw new TrutoConnectError('invalid_token', 'linkUrl is not an absolute URL', { cause });
    }
    if (platform.protocol !== 'https:' && platform.protocol !== 'http:') {
      throw new TrutoConnectError('invalid_token', 'linkUrl must be http(s)');
    }
    if (this.platformUrl && new URL(this.platformUrl).origin !== platform.origin) {
      throw new TrutoConnectError('invalid_token', 'linkUrl is not on platform-url');
    }
    const first = flow.platformOrigin === undefined;
    flow.platformOrigin = platform.origin;
    flow.expiresAt = info.expiresAt;
    // A new secret per link token: a status record belongs to the token that opened it.
    flow.statusSecret = createStatusSecret();
    const statusHash = await statusHashOf(flow.statusSecret);
    const url = flowUrl(info.linkUrl, mode, flow.nonce, window.location.origin, statusHash);
    if (mode === 'redirect') {
      window.location.assign(url);
      return;
    }
    if (first) this.#listen(flow);
    if (mode === 'popup' && flow.popup) {
      flow.source = flow.popup;
      flow.popup.location.replace(url);
      if (first) this.#watchPopup(flow, flow.popup);
      return;
    }
    flow.mode = 'modal';
    this._frameUrl = url;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    const frame = this.renderRoot.querySelector('iframe');
    flow.source = frame?.contentWindow;
    if (dialog && !dialog.open) dialog.showModal();
  }

  #listen(flow: Flow): void {
    const onMessage = (event: MessageEvent) => {
      if (!flow.platformOrigin || !isFlowMessage(event, flow.platformOrigin, flow.source, flow.nonce)) return;
      // The modal's frame went on in a sign-in popup of its own: watch the status channel too.
      if ((event.data as { type?: unknown }).type === 'detached') return this.#pollStatus(flow);
      const outcome = readOutcome(event.data);
      if (!outcome) return;
      if (
        outcome.type === 'error' &&
        outcome.expiredToken &&
        !flow.refetched &&
        this.tokenUrl &&
        !this.linkToken
      ) {
        flow.refetched = true;
        this.#fetchToken().then(
          (info) => (flow.settled ? undefined : this.#navigate(flow, flow.mode, info)),
          (error: unknown) => this.#fail(flow, asError(error)),
        );
        return;
      }
      this.#finish(flow, outcome, 'user');
    };
    window.addEventListener('message', onMessage);
    flow.cleanups.push(() => window.removeEventListener('message', onMessage));
  }

  /**
   * A popup that looks closed may only have lost its opener link (a provider's COOP header).
   * Ask the status channel before calling it closed: no false alarms.
   */
  #watchPopup(flow: Flow, popup: Window): void {
    const timer = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(timer);
      void this.#afterPopupClosed(flow);
    }, CLOSED_POLL_MS);
    flow.cleanups.push(() => clearInterval(timer));
  }

  async #afterPopupClosed(flow: Flow): Promise<void> {
    const status = await readStatus(flow.platformOrigin as string, flow.statusSecret);
    if (flow.settled) return;
    if (status.outcome) return this.#finish(flow, status.outcome, 'user');
    if (status.state !== 'provider') return this.#finish(flow, { type: 'close' }, 'user');
    // Still at the provider, out of sight: wait on the status channel, with a way out.
    this._detached = true;
    this.#pollStatus(flow);
  }

  /** Polls the status channel until the flow has an outcome or its link token is long expired. */
  #pollStatus(flow: Flow): void {
    if (flow.polling) return;
    flow.polling = true;
    const until = (flow.expiresAt ?? Date.now() + DETACHED_LIMIT_MS) + 60_000;
    const timer = setInterval(async () => {
      const next = await readStatus(flow.platformOrigin as string, flow.statusSecret);
      if (flow.settled) return;
      if (next.outcome) this.#finish(flow, next.outcome, 'user');
      else if (Date.now() > until) this.#finish(flow, { type: 'close' }, 'user');
    }, STATUS_POLL_MS);
    flow.cleanups.push(() => clearInterval(timer));
  }

  #fail(flow: Flow, error: TrutoConnectError): void {
    this.#finish(flow, { type: 'error', error, expiredToken: false }, 'user');
  }

  #finish(flow: Flow, outcome: FlowOutcome, reason: 'user' | 'api'): void {
    if (flow.settled) return;
    flow.settled = true;
    for (const cleanup of flow.cleanups) cleanup();
    try {
      if (flow.popup && !flow.popup.closed) flow.popup.close();
    } catch {
      // The popup is gone already.
    }
    const hadDialog = this._frameUrl !== undefined;
    this.renderRoot.querySelector('dialog')?.close();
    this._frameUrl = undefined;
    this._detached = false;
    this._busy = false;
    this.#flow = undefined;
    // Focus goes back where it came from.
    if (hadDialog) this.renderRoot.querySelector<HTMLButtonElement>('[part="button"]')?.focus();
    if (outcome.type === 'success') {
      this.dispatchEvent(new TrutoConnectSuccessEvent(outcome.result));
      flow.resolve(outcome.result);
    } else if (outcome.type === 'error') {
      this.dispatchEvent(
        new TrutoConnectErrorEvent({ code: outcome.error.code, message: outcome.error.message }),
      );
      flow.reject(outcome.error);
    } else {
      this.dispatchEvent(new TrutoConnectCloseEvent({ reason }));
      flow.reject(new TrutoConnectError('closed', 'the connect flow was closed'));
    }
  }
}

/**
 * How the connect pages answer: the form (with inline errors), the expired-link page, the
 * end of a flow (a redirect to the app, or a result page that posts to the widget), and the
 * pages for too many attempts and for failures. Each page is sent with `sendPage`, so each has
 * its own CSP nonce and headers; the messages it posts are the widget's wire protocol.
 * @module
 */
import { type FlowMessage, MESSAGE_SOURCE } from '@truto-connect/widget/protocol';
import type { Response } from 'express';
import type { ConnectFlows, ExpiredFlow, OpenedFlow, Outcome } from './connect-flow.js';
import type { Locale, Translate } from './messages.js';
import { sendPage } from './page-security.js';
import { connectPage, type FlowParams, resultPage } from './pages.js';

/** What the flow carries from page to page. */
export interface FlowFields extends FlowParams {
  authFormat: string;
}

export function flowFieldsOf(opened: OpenedFlow, linkToken: string, authFormat: string): FlowFields {
  return {
    link_token: linkToken,
    mode: opened.mode,
    nonce: opened.nonce ?? '',
    origin: opened.origin ?? '',
    status: opened.statusHash ?? '',
    lang: opened.locale,
    authFormat,
  };
}

/** The same-origin URL that starts the OAuth flow with these fields. */
function oauthStartUrl(flow: FlowFields & Record<string, string>): string {
  const url = new URL('/link/oauth/start', 'http://x');
  for (const [name, value] of Object.entries(flow)) if (value) url.searchParams.set(name, value);
  return url.pathname + url.search;
}

/** A flow without a widget to post to ends with a redirect to the link token's `redirectUri`. */
const endsInRedirect = (opened: OpenedFlow) => opened.mode === 'redirect' || !opened.origin;

/** The origin the flow's form may end at: the app's, when the flow ends in a redirect. */
function redirectOrigins(opened: OpenedFlow): string[] {
  if (!endsInRedirect(opened) || !opened.token.redirect_uri) return [];
  const target = new URL(opened.token.redirect_uri);
  return target.protocol === 'https:' || target.protocol === 'http:' ? [target.origin] : [];
}

export interface FormState {
  status?: number;
  /** The OAuth method's fields, checked: the page links to the provider with them. */
  oauthFields?: Record<string, string>;
  values?: Record<string, string>;
  fieldErrors?: Record<string, string>;
  formError?: string;
}

export class ConnectResponses {
  constructor(
    private readonly flows: ConnectFlows,
    private readonly deps: { csrf: { create(linkTokenHash: string): string }; publicUrl: () => string },
  ) {}

  /** The connect form: the methods offered, the selected one's fields or its OAuth link. */
  form(res: Response, opened: OpenedFlow, flow: FlowFields, state: FormState = {}): void {
    const methods = this.flows.methodsOf(opened.def);
    const selected = methods.some((m) => m.format === flow.authFormat)
      ? flow.authFormat
      : (methods[0]?.format ?? '');
    const policy = { frameAncestors: opened.tenant.allowedOrigins, formTargets: redirectOrigins(opened) };
    sendPage(res, state.status ?? 200, policy, (nonce) =>
      connectPage({
        t: opened.t,
        locale: opened.locale,
        nonce,
        def: opened.def,
        methods,
        selected,
        flow,
        csrf: this.deps.csrf.create(opened.token.token_hash),
        oauthUrl: oauthStartUrl({ ...state.oauthFields, ...flow, authFormat: selected }),
        ...(state.oauthFields ? { oauthReady: true } : {}),
        ...(state.values ? { values: state.values } : {}),
        ...(state.fieldErrors ? { fieldErrors: state.fieldErrors } : {}),
        ...(state.formError ? { formError: state.formError } : {}),
      }),
    );
  }

  /** A used, expired or unknown link token: a clear page that connects nothing. */
  expired(
    res: Response,
    flow: Pick<OpenedFlow | ExpiredFlow, 'origin' | 'mode' | 'nonce' | 'locale' | 't'> & {
      tenant?: OpenedFlow['tenant'];
    },
  ): void {
    const message: FlowMessage | undefined =
      flow.origin && flow.nonce
        ? {
            source: MESSAGE_SOURCE,
            nonce: flow.nonce,
            type: 'error',
            code: 'invalid_token',
            reason: 'expired',
            message: flow.t('expired'),
          }
        : undefined;
    sendPage(res, 410, { frameAncestors: flow.tenant?.allowedOrigins ?? [] }, (nonce) =>
      resultPage({
        locale: flow.locale,
        nonce,
        title: flow.t('expiredTitle'),
        text: flow.t('expired'),
        alert: true,
        ...(message && flow.origin ? { message, targetOrigin: flow.origin } : {}),
        closeWindow: false,
      }),
    );
  }

  /**
   * The end of every flow: back to the app's `redirectUri` in a top-level window, else a page
   * that posts the outcome to the widget. A popup opened from the modal's frame reports to that
   * frame (our origin), which relays (`relayToOpener`).
   */
  async deliver(res: Response, opened: OpenedFlow, outcome: Outcome, relayToOpener = false): Promise<void> {
    await this.flows.record(opened, outcome.type === 'success' ? 'success' : 'error', outcome);
    if (endsInRedirect(opened) && opened.token.redirect_uri) {
      const target = new URL(opened.token.redirect_uri);
      if (outcome.result) target.searchParams.set('result', outcome.result);
      if (outcome.type === 'error') target.searchParams.set('error', outcome.code);
      res.redirect(303, target.href);
      return;
    }
    const message: FlowMessage | undefined = opened.nonce
      ? { source: MESSAGE_SOURCE, nonce: opened.nonce, ...outcome }
      : undefined;
    const targetOrigin = relayToOpener ? new URL(this.deps.publicUrl()).origin : opened.origin;
    const success = outcome.type === 'success';
    sendPage(res, success ? 200 : 400, { frameAncestors: opened.tenant.allowedOrigins }, (nonce) =>
      resultPage({
        locale: opened.locale,
        nonce,
        title: opened.t(success ? 'connectedTitle' : 'failedTitle'),
        text: success ? opened.t('connected', { integration: opened.def.label }) : outcome.message,
        alert: !success,
        ...(message && targetOrigin ? { message, targetOrigin } : {}),
        closeWindow: opened.mode === 'popup' || relayToOpener,
      }),
    );
  }

  /** A page that says something went wrong and offers nothing more (429, 5xx). */
  failure(res: Response, status: number, locale: Locale, t: Translate, text: string): void {
    sendPage(res, status, { frameAncestors: [] }, (nonce) =>
      resultPage({ locale, nonce, title: t('failedTitle'), text, alert: true, closeWindow: false }),
    );
  }
}

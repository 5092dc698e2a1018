/**
 * The connect pages at `linkUrl` (`/link/...`): the credential form, OAuth 2.0 with PKCE and
 * `state`, and the status channel. Every way through ends in one place, `finish`, which
 * consumes the link token exactly once, creates the account, signs the result, records it on
 * the status channel and hands it to the widget (postMessage) or back to the app (redirect).
 * @module
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import * as oauth from 'oauth4webapi';
import { PostInstallError } from '../errors.js';
import { credentialFieldsOf } from '../integrations/catalogue.js';
import { type Credentials, resolveCredentials } from '../integrations/credentials.js';
import type { AuthMethodDefinition } from '../integrations/definition.js';
import { renderOptionalTemplate, renderTemplate } from '../integrations/template.js';
import { tokenEndpoint } from '../provider/token-endpoint.js';
import type { PostInstallOutcome } from '../services/integrated-accounts.js';
import {
  type ConnectDependencies,
  ConnectFlows,
  type ExpiredFlow,
  type OpenedFlow,
  type Outcome,
  text,
} from './connect-flow.js';
import { type MessageKey, pickLocale, translator } from './messages.js';
import { newNonce, setPageHeaders } from './page-security.js';
import { connectPage, type FlowParams, resultPage } from './pages.js';

export type { ConnectDependencies, OAuthClientCredentials } from './connect-flow.js';

/** What the flow carries from page to page. */
interface Flow extends FlowParams {
  authFormat: string;
}

export const OAUTH_CALLBACK_PATH = '/link/oauth/callback';

export function connectRouter(deps: ConnectDependencies): Router {
  const router = Router();
  const flows = new ConnectFlows(deps);
  const form = express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 50 });
  const limiter = (limit: number) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler(req, res) {
        const locale = pickLocale(
          req.query.lang ?? (req.body as { lang?: unknown })?.lang,
          req.get('accept-language'),
        );
        const t = translator(locale);
        const nonce = newNonce();
        setPageHeaders(res, nonce, []);
        res.status(429).send(
          resultPage({
            locale,
            nonce,
            title: t('failedTitle'),
            text: t('tooMany'),
            alert: true,
            closeWindow: false,
          }),
        );
      },
    });

  function flowOf(o: OpenedFlow, linkToken: string, authFormat: string): Flow {
    return {
      link_token: linkToken,
      mode: o.mode,
      nonce: o.nonce ?? '',
      origin: o.origin ?? '',
      lang: o.locale,
      authFormat,
    };
  }

  function oauthStartUrl(flow: Flow): string {
    const url = new URL('/link/oauth/start', 'http://x');
    for (const [k, v] of Object.entries(flow)) if (v) url.searchParams.set(k, v);
    return url.pathname + url.search;
  }

  function renderForm(
    res: Response,
    o: OpenedFlow,
    flow: Flow,
    extra: {
      status?: number;
      values?: Record<string, string>;
      fieldErrors?: Record<string, string>;
      formError?: string;
    } = {},
  ) {
    const nonce = newNonce();
    setPageHeaders(res, nonce, o.tenant.allowedOrigins);
    const methods = flows.methodsOf(o.def);
    const selected = methods.some((m) => m.format === flow.authFormat)
      ? flow.authFormat
      : (methods[0]?.format ?? '');
    const page = connectPage({
      t: o.t,
      locale: o.locale,
      nonce,
      def: o.def,
      methods,
      selected,
      flow,
      csrf: deps.csrf.create(o.token.token_hash),
      oauthUrl: oauthStartUrl({ ...flow, authFormat: selected }),
      ...(extra.values ? { values: extra.values } : {}),
      ...(extra.fieldErrors ? { fieldErrors: extra.fieldErrors } : {}),
      ...(extra.formError ? { formError: extra.formError } : {}),
    });
    res.status(extra.status ?? 200).send(page);
  }

  /** A used, expired or unknown link token: a clear page that connects nothing. */
  async function renderExpired(
    res: Response,
    p: Pick<OpenedFlow | ExpiredFlow, 'origin' | 'mode' | 'nonce' | 'locale' | 't'> & {
      tenant?: OpenedFlow['tenant'];
    },
  ) {
    const nonce = newNonce();
    setPageHeaders(res, nonce, p.tenant?.allowedOrigins ?? []);
    const message =
      p.origin && p.nonce
        ? {
            source: 'truto-connect',
            nonce: p.nonce,
            type: 'error',
            code: 'invalid_token',
            reason: 'expired',
            message: p.t('expired'),
          }
        : undefined;
    res.status(410).send(
      resultPage({
        locale: p.locale,
        nonce,
        title: p.t('expiredTitle'),
        text: p.t('expired'),
        alert: true,
        ...(message && p.origin ? { message, targetOrigin: p.origin } : {}),
        closeWindow: false,
      }),
    );
  }

  /** Completes the flow and hands its outcome over. */
  async function finish(
    res: Response,
    o: OpenedFlow,
    linkToken: string,
    method: AuthMethodDefinition,
    credentials: Credentials,
    outcome: PostInstallOutcome,
    relayToOpener = false,
  ) {
    const done = await flows.complete(o, linkToken, method, credentials, outcome);
    if (done === 'expired') return renderExpired(res, o);
    return deliver(res, o, done, relayToOpener);
  }

  /** The end of every flow: hand the outcome over the way the flow was opened. */
  async function deliver(res: Response, o: OpenedFlow, outcome: Outcome, relayToOpener = false) {
    await flows.record(o, outcome.type === 'success' ? 'success' : 'error', outcome);
    const name = o.def.label;
    if (o.mode === 'redirect' || !o.origin) {
      if (o.token.redirect_uri) {
        const target = new URL(o.token.redirect_uri);
        if (outcome.result) target.searchParams.set('result', outcome.result);
        if (outcome.type === 'error') target.searchParams.set('error', outcome.code);
        res.redirect(303, target.href);
        return;
      }
    }
    const nonce = newNonce();
    setPageHeaders(res, nonce, o.tenant.allowedOrigins);
    const message = o.nonce ? { source: 'truto-connect', nonce: o.nonce, ...outcome } : undefined;
    // A popup opened from the modal's frame reports to that frame (our origin), which relays.
    const targetOrigin = relayToOpener ? new URL(deps.publicUrl()).origin : o.origin;
    const success = outcome.type === 'success';
    res.status(success ? 200 : 400).send(
      resultPage({
        locale: o.locale,
        nonce,
        title: o.t(success ? 'connectedTitle' : 'failedTitle'),
        text: success ? o.t('connected', { integration: name }) : outcome.message,
        alert: !success,
        ...(message && targetOrigin ? { message, targetOrigin } : {}),
        closeWindow: o.mode === 'popup' || relayToOpener,
      }),
    );
  }

  router.get('/link/connect', async function showConnectPage(req: Request, res: Response) {
    const o = await flows.open(req.query as Record<string, unknown>, req.get('accept-language'));
    if ('expired' in o) return renderExpired(res, o);
    await flows.record(o, 'pending', null);
    renderForm(res, o, flowOf(o, text(req.query.link_token), text(req.query.authFormat)));
  });

  router.post(
    '/link/connect',
    limiter(30),
    form,
    async function submitCredentials(req: Request, res: Response) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const o = await flows.open(body, req.get('accept-language'));
      if ('expired' in o) return renderExpired(res, o);
      const linkToken = text(body.link_token);
      const flow = flowOf(o, linkToken, text(body.authFormat));
      if (!deps.csrf.verify(o.token.token_hash, body.csrf)) {
        renderForm(res, o, flow, { status: 403, formError: o.t('rejected', { integration: o.def.label }) });
        return;
      }
      const method = o.def.authMethods.find((m) => m.format === flow.authFormat && m.format !== 'oauth2');
      if (!method) return renderForm(res, o, flow, { status: 400 });
      // Only this method's fields, as strings; secrets never go back into the form.
      const fields = credentialFieldsOf(method);
      const input: Record<string, string> = {};
      for (const f of fields) if (text(body[f.name]) !== '') input[f.name] = text(body[f.name]).trim();
      const values = Object.fromEntries(
        fields.filter((f) => !f.secret && input[f.name]).map((f) => [f.name, input[f.name] as string]),
      );
      const fieldErrors: Record<string, string> = {};
      for (const f of fields) {
        const value = input[f.name];
        if (value === undefined) {
          if (f.required !== false && f.default === undefined)
            fieldErrors[f.name] = o.t('fieldMissing', { field: f.label });
        } else if (f.pattern && !new RegExp(f.pattern).test(value)) {
          fieldErrors[f.name] = o.t('fieldInvalid', { field: f.label });
        }
      }
      if (Object.keys(fieldErrors).length)
        return renderForm(res, o, flow, { status: 400, values, fieldErrors });
      const { credentials } = resolveCredentials(o.def, input, method.format);
      // A real request proves the credentials before anything is created.
      const outcome = await deps.accounts.postInstall(
        { definition: o.def, method, credentials, context: {} },
        { tenantId: o.tenant.id },
      );
      if (outcome.error?.credentialsRejected) {
        return renderForm(res, o, flow, {
          status: 400,
          values,
          formError: o.t('rejected', { integration: o.def.label }),
        });
      }
      if (outcome.error?.firstStep && outcome.error.providerStatus === undefined) {
        return renderForm(res, o, flow, {
          status: 502,
          values,
          formError: o.t('unreachable', { integration: o.def.label }),
        });
      }
      await finish(res, o, linkToken, method, credentials, outcome);
    },
  );

  router.get('/link/oauth/start', limiter(30), async function startOAuth(req: Request, res: Response) {
    const o = await flows.open(req.query as Record<string, unknown>, req.get('accept-language'));
    if ('expired' in o) return renderExpired(res, o);
    const method = o.def.authMethods.find(
      (m) => m.format === 'oauth2' && m.oauth2?.grant === 'authorization_code',
    );
    const client = deps.oauthClients.get(o.def.name);
    if (!method?.oauth2?.authorizeUrl || !client)
      return renderForm(res, o, flowOf(o, text(req.query.link_token), ''), { status: 400 });
    const fields: Record<string, string> = {};
    for (const f of method.fields ?? []) {
      const value = text(req.query[f.name]) || f.default;
      if (value !== undefined && (!f.pattern || new RegExp(f.pattern).test(value))) fields[f.name] = value;
    }
    const state = oauth.generateRandomState();
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const authorize = new URL(renderTemplate(method.oauth2.authorizeUrl, fields));
    authorize.searchParams.set('client_id', client.clientId);
    authorize.searchParams.set('redirect_uri', `${deps.publicUrl()}${OAUTH_CALLBACK_PATH}`);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('state', state);
    const tokenScopes = o.token.scopes ? (JSON.parse(o.token.scopes) as string[]) : undefined;
    const scopes = tokenScopes ?? method.oauth2.scopes ?? [];
    if (scopes.length) authorize.searchParams.set('scope', scopes.join(method.oauth2.scopeSeparator ?? ' '));
    if (method.oauth2.pkce !== false) {
      authorize.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
      authorize.searchParams.set('code_challenge_method', 'S256');
    }
    for (const [k, v] of Object.entries(method.oauth2.authorizeParams ?? {})) {
      const value = renderOptionalTemplate(v, fields);
      if (value !== undefined) authorize.searchParams.set(k, value);
    }
    // A popup opened from the modal's frame: the flow goes on as a popup that reports to the frame.
    const relay = o.mode === 'modal';
    await deps.oauthStates.save(
      state,
      {
        linkTokenHash: o.token.token_hash,
        codeVerifier,
        flow: { ...flowOf(o, text(req.query.link_token), 'oauth2'), fields, relay },
      },
      new Date(Date.now() + 15 * 60_000),
    );
    await flows.record(o, 'provider', null);
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').redirect(302, authorize.href);
  });

  router.get(OAUTH_CALLBACK_PATH, limiter(30), async function finishOAuth(req: Request, res: Response) {
    const pending = await deps.oauthStates.take<Flow & { fields: Record<string, string>; relay: boolean }>(
      text(req.query.state),
    );
    if (!pending) {
      const locale = pickLocale(undefined, req.get('accept-language'));
      return renderExpired(res, {
        origin: undefined,
        mode: 'redirect',
        nonce: undefined,
        locale,
        t: translator(locale),
      });
    }
    const o = await flows.open(
      pending.flow as unknown as Record<string, unknown>,
      req.get('accept-language'),
    );
    if ('expired' in o) return renderExpired(res, o);
    const relay = pending.flow.relay;
    const method = o.def.authMethods.find((m) => m.format === 'oauth2') as AuthMethodDefinition;
    const spec = method.oauth2;
    const client = deps.oauthClients.get(o.def.name);
    if (!spec || !client) return renderExpired(res, o);
    const providerError = text(req.query.error);
    if (providerError) {
      const message =
        providerError === 'access_denied'
          ? o.t('denied', { integration: o.def.label })
          : text(req.query.error_description) || providerError;
      return deliver(res, o, { type: 'error', code: 'connection_error', message }, relay);
    }
    try {
      const {
        as,
        client: oauthClient,
        clientAuth,
        options,
      } = tokenEndpoint(spec, pending.flow.fields, client);
      const callbackUrl = new URL(`${deps.publicUrl()}${OAUTH_CALLBACK_PATH}`);
      for (const [k, v] of Object.entries(req.query))
        if (typeof v === 'string') callbackUrl.searchParams.set(k, v);
      const params = oauth.validateAuthResponse(as, oauthClient, callbackUrl, oauth.skipStateCheck);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        oauthClient,
        clientAuth,
        params,
        `${deps.publicUrl()}${OAUTH_CALLBACK_PATH}`,
        pending.codeVerifier,
        options(),
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, oauthClient, response);
      const input: Record<string, unknown> = { ...pending.flow.fields, access_token: tokens.access_token };
      if (tokens.refresh_token) input.refresh_token = tokens.refresh_token;
      if (tokens.expires_in) input.expires_in = tokens.expires_in;
      for (const f of spec.tokenResponseFields ?? [])
        if (typeof tokens[f.name] === 'string') input[f.name] = tokens[f.name];
      const { credentials } = resolveCredentials(o.def, input, 'oauth2');
      const outcome = await deps.accounts.postInstall(
        { definition: o.def, method, credentials, context: {} },
        { tenantId: o.tenant.id },
      );
      await finish(res, o, pending.flow.link_token, method, credentials, outcome, relay);
    } catch (error) {
      deps.logger.warn(
        {
          err: error instanceof PostInstallError ? error.message : (error as Error).message,
          integration: o.def.name,
        },
        'OAuth callback failed',
      );
      return deliver(
        res,
        o,
        {
          type: 'error',
          code: 'connection_error',
          message: o.t('unreachable', { integration: o.def.label }),
        },
        relay,
      );
    }
  });

  router.options('/link/status/:nonce', async function statusPreflight(_req, res) {
    res.set('Access-Control-Allow-Methods', 'GET').status(204).end();
  });

  router.get('/link/status/:nonce', limiter(300), async function flowStatus(req: Request, res: Response) {
    const flow = await deps.linkFlows.get(String(req.params.nonce));
    const origin = req.get('origin');
    if (flow && origin) {
      const tenant = await deps.tenants.get(flow.tenantId);
      if (tenant?.allowedOrigins.includes(origin))
        res.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    }
    res.set('Cache-Control', 'no-store');
    if (!flow) {
      res.status(404).json({ state: 'pending' });
      return;
    }
    res.json({ state: flow.state, ...(flow.outcome ?? {}) });
  });

  router.use('/link', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    deps.logger.error({ err: error, path: req.path }, 'connect page failed');
    const locale = pickLocale(req.query.lang, req.get('accept-language'));
    const t = translator(locale);
    const nonce = newNonce();
    setPageHeaders(res, nonce, []);
    const status = (error as { status?: number }).status;
    res.status(status && status >= 400 && status < 500 ? status : 500).send(
      resultPage({
        locale,
        nonce,
        title: t('failedTitle'),
        text: t('unreachable' as MessageKey, { integration: '' }),
        alert: true,
        closeWindow: false,
      }),
    );
  });

  return router;
}

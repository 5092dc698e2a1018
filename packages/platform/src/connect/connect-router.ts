/**
 * The connect pages at `linkUrl` (`/link/...`), as HTTP: each route reads the request, calls
 * the domain and answers through `ConnectResponses`. The flow itself lives elsewhere: opening,
 * recording and completing it in `connect-flow.ts`, the OAuth grant in
 * `provider/oauth-authorization.ts`, field checks in `integrations/credentials.ts`, the pages'
 * HTML in `pages.ts`. Every way through ends in `finish`, which consumes the link token exactly
 * once, creates the account, signs the result, records it on the status channel and hands it to
 * the widget (postMessage) or back to the app (redirect).
 * @module
 */

import { STATUS_PATH, STATUS_SECRET_HEADER, type StatusBody } from '@truto-connect/widget/protocol';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { credentialFieldsOf } from '../integrations/catalogue.js';
import {
  type Credentials,
  checkEnteredFields,
  type FieldProblem,
  resolveCredentials,
} from '../integrations/credentials.js';
import type { AuthMethodDefinition, FieldDefinition } from '../integrations/definition.js';
import {
  authorizationCodeMethod,
  exchangeAuthorizationCode,
  startAuthorization,
} from '../provider/oauth-authorization.js';
import type { PostInstallOutcome } from '../services/integrated-accounts.js';
import { type ConnectDependencies, ConnectFlows, type OpenedFlow, text } from './connect-flow.js';
import { ConnectResponses, type FlowFields, flowFieldsOf } from './connect-responses.js';
import { pickLocale, type Translate, translator } from './messages.js';

export type { ConnectDependencies, OAuthClientCredentials } from './connect-flow.js';

export const OAUTH_CALLBACK_PATH = '/link/oauth/callback';
/** How long the provider may take before its callback comes back. */
const OAUTH_STATE_TTL_MS = 15 * 60_000;

/** What the OAuth state row carries to the callback. */
interface PendingOAuth extends FlowFields {
  fields: Record<string, string>;
  relay: boolean;
}

/** Inline errors for the fields with a problem, in the page's language; undefined when none. */
function fieldErrorsOf(
  fields: readonly FieldDefinition[],
  problems: Record<string, FieldProblem>,
  t: Translate,
): Record<string, string> | undefined {
  const withProblems = fields.filter((field) => Object.hasOwn(problems, field.name));
  if (withProblems.length === 0) return undefined;
  return Object.fromEntries(
    withProblems.map((field) => [
      field.name,
      t(problems[field.name] === 'missing' ? 'fieldMissing' : 'fieldInvalid', { field: field.label }),
    ]),
  );
}

export function connectRouter(deps: ConnectDependencies): Router {
  const router = Router();
  const flows = new ConnectFlows(deps);
  const respond = new ConnectResponses(flows, deps);
  const callbackUrl = () => `${deps.publicUrl()}${OAUTH_CALLBACK_PATH}`;
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
        respond.failure(res, 429, locale, t, t('tooMany'));
      },
    });

  /** Completes the flow and hands its outcome over. */
  /**
   * A setup failure that leaves nothing to keep: the provider was throttling, or listed nothing
   * matching what the person entered. The answer for the page, or `undefined` for any other
   * outcome (which creates the account, in error if setup failed).
   */
  function retryableSetup(outcome: PostInstallOutcome, opened: OpenedFlow) {
    const error = outcome.error;
    if (error?.throttled) {
      return { status: 429, formError: opened.t('throttled', { integration: opened.def.label }) };
    }
    if (error?.unmatched) {
      return {
        status: 400,
        formError: opened.t('notConnected', { integration: opened.def.label, reason: error.reason }),
      };
    }
    return undefined;
  }

  async function finish(
    res: Response,
    opened: OpenedFlow,
    linkToken: string,
    method: AuthMethodDefinition,
    credentials: Credentials,
    outcome: PostInstallOutcome,
    relayToOpener = false,
  ) {
    const done = await flows.complete(opened, linkToken, method, credentials, outcome);
    if (done === 'expired') return respond.expired(res, opened);
    return respond.deliver(res, opened, done, relayToOpener);
  }

  router.get('/link/connect', limiter(60), async function showConnectPage(req: Request, res: Response) {
    const opened = await flows.open(req.query as Record<string, unknown>, req.get('accept-language'));
    if ('expired' in opened) return respond.expired(res, opened);
    const recorded = await flows.record(opened, 'pending', null);
    if (recorded === 'full') return respond.failure(res, 429, opened.locale, opened.t, opened.t('tooMany'));
    if (recorded === 'taken')
      return respond.failure(res, 409, opened.locale, opened.t, opened.t('flowTaken'));
    respond.form(res, opened, flowFieldsOf(opened, text(req.query.link_token), text(req.query.authFormat)));
  });

  router.post(
    '/link/connect',
    limiter(30),
    form,
    async function submitCredentials(req: Request, res: Response) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const opened = await flows.open(body, req.get('accept-language'));
      if ('expired' in opened) return respond.expired(res, opened);
      const { t, def } = opened;
      const linkToken = text(body.link_token);
      const flow = flowFieldsOf(opened, linkToken, text(body.authFormat));
      if (!deps.csrf.verify(opened.token.token_hash, body.csrf)) {
        return respond.form(res, opened, flow, {
          status: 403,
          formError: t('rejected', { integration: def.label }),
        });
      }
      if (flow.authFormat === 'oauth2') {
        // An OAuth method's own fields (a company subdomain): checked here, then on to the provider.
        const oauthMethod = authorizationCodeMethod(def.authMethods);
        if (!oauthMethod || !deps.oauthClients.has(def.name))
          return respond.form(res, opened, flow, { status: 400 });
        const entered = checkEnteredFields(oauthMethod.fields ?? [], body);
        const fieldErrors = fieldErrorsOf(oauthMethod.fields ?? [], entered.problems, t);
        if (fieldErrors)
          return respond.form(res, opened, flow, { status: 400, values: entered.values, fieldErrors });
        return respond.form(res, opened, flow, { values: entered.values, oauthFields: entered.input });
      }
      const method = def.authMethods.find((m) => m.format === flow.authFormat && m.format !== 'oauth2');
      if (!method) return respond.form(res, opened, flow, { status: 400 });
      // Only this method's fields, as strings; secrets never go back into the form.
      const fields = credentialFieldsOf(method);
      const { input, values, problems } = checkEnteredFields(fields, body);
      const fieldErrors = fieldErrorsOf(fields, problems, t);
      if (fieldErrors) return respond.form(res, opened, flow, { status: 400, values, fieldErrors });
      const { credentials } = resolveCredentials(def, input, method.format);
      // A real request proves the credentials before anything is created.
      const outcome = await deps.accounts.postInstall(
        { definition: def, method, credentials, context: {} },
        { tenantId: opened.tenant.id },
      );
      if (outcome.error?.credentialsRejected) {
        return respond.form(res, opened, flow, {
          status: 400,
          values,
          formError: t('rejected', { integration: def.label }),
        });
      }
      const retry = retryableSetup(outcome, opened);
      if (retry) return respond.form(res, opened, flow, { ...retry, values });
      if (outcome.error?.firstStep && outcome.error.providerStatus === undefined) {
        return respond.form(res, opened, flow, {
          status: 502,
          values,
          formError: t('unreachable', { integration: def.label }),
        });
      }
      await finish(res, opened, linkToken, method, credentials, outcome);
    },
  );

  router.get('/link/oauth/start', limiter(30), async function startOAuth(req: Request, res: Response) {
    const opened = await flows.open(req.query as Record<string, unknown>, req.get('accept-language'));
    if ('expired' in opened) return respond.expired(res, opened);
    const linkToken = text(req.query.link_token);
    const method = authorizationCodeMethod(opened.def.authMethods);
    const client = deps.oauthClients.get(opened.def.name);
    if (!method || !client)
      return respond.form(res, opened, flowFieldsOf(opened, linkToken, ''), { status: 400 });
    // The method's fields come from the page that collected them; checked again here.
    const entered = checkEnteredFields(method.fields ?? [], req.query as Record<string, unknown>);
    const fieldErrors = fieldErrorsOf(method.fields ?? [], entered.problems, opened.t);
    if (fieldErrors) {
      const flow = flowFieldsOf(opened, linkToken, 'oauth2');
      return respond.form(res, opened, flow, { status: 400, values: entered.values, fieldErrors });
    }
    const fields: Record<string, string> = {};
    for (const field of method.fields ?? []) {
      const value = entered.input[field.name] ?? field.default;
      if (value !== undefined) fields[field.name] = value;
    }
    const authorization = await startAuthorization(method.oauth2, client, {
      fields,
      scopes: opened.token.scopes ?? undefined,
      redirectUri: callbackUrl(),
    });
    // A popup opened from the modal's frame: the flow goes on as a popup that reports to the frame.
    const pending: PendingOAuth = {
      ...flowFieldsOf(opened, linkToken, 'oauth2'),
      fields,
      relay: opened.mode === 'modal',
    };
    await deps.oauthStates.save(
      authorization.state,
      { linkTokenHash: opened.token.token_hash, codeVerifier: authorization.codeVerifier, flow: pending },
      new Date(Date.now() + OAUTH_STATE_TTL_MS),
    );
    await flows.record(opened, 'provider', null);
    res
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .redirect(302, authorization.url);
  });

  router.get(OAUTH_CALLBACK_PATH, limiter(30), async function finishOAuth(req: Request, res: Response) {
    const pending = await deps.oauthStates.take<PendingOAuth>(text(req.query.state));
    if (!pending) {
      const locale = pickLocale(undefined, req.get('accept-language'));
      return respond.expired(res, {
        origin: undefined,
        mode: 'redirect',
        nonce: undefined,
        locale,
        t: translator(locale),
      });
    }
    const opened = await flows.open(
      pending.flow as unknown as Record<string, unknown>,
      req.get('accept-language'),
    );
    if ('expired' in opened) return respond.expired(res, opened);
    const { t, def } = opened;
    const relay = pending.flow.relay;
    const method = def.authMethods.find((m) => m.format === 'oauth2');
    const client = deps.oauthClients.get(def.name);
    if (!method?.oauth2 || !client) return respond.expired(res, opened);
    const providerError = text(req.query.error);
    if (providerError) {
      const message =
        providerError === 'access_denied'
          ? t('denied', { integration: def.label })
          : text(req.query.error_description) || providerError;
      return respond.deliver(res, opened, { type: 'error', code: 'connection_error', message }, relay);
    }
    try {
      const input = await exchangeAuthorizationCode(method.oauth2, client, {
        fields: pending.flow.fields,
        callbackQuery: req.query as Record<string, unknown>,
        redirectUri: callbackUrl(),
        codeVerifier: pending.codeVerifier,
      });
      const { credentials } = resolveCredentials(def, input, 'oauth2');
      const outcome = await deps.accounts.postInstall(
        { definition: def, method, credentials, context: {} },
        { tenantId: opened.tenant.id },
      );
      // A throttle or an unmatched entry creates nothing: the person tries again with this link.
      const retry = retryableSetup(outcome, opened);
      if (retry) {
        const failed = { type: 'error', code: 'connection_error', message: retry.formError } as const;
        return respond.deliver(res, opened, failed, relay);
      }
      await finish(res, opened, pending.flow.link_token, method, credentials, outcome, relay);
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message, integration: def.name }, 'OAuth callback failed');
      const message = t('unreachable', { integration: def.label });
      return respond.deliver(res, opened, { type: 'error', code: 'connection_error', message }, relay);
    }
  });

  // The secret travels in a header, so a cross-origin read is preflighted. The preflight can
  // not tell the tenant (it carries no secret): it admits the header; the answer's CORS decides.
  router.options(STATUS_PATH, limiter(300), function statusPreflight(req: Request, res: Response) {
    const origin = req.get('origin');
    if (origin) res.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    res
      .set({
        'Access-Control-Allow-Methods': 'GET',
        'Access-Control-Allow-Headers': STATUS_SECRET_HEADER,
        'Access-Control-Max-Age': '600',
      })
      .status(204)
      .end();
  });

  router.get(STATUS_PATH, limiter(300), async function flowStatus(req: Request, res: Response) {
    const flow = await deps.linkFlows.read(req.get(STATUS_SECRET_HEADER));
    const origin = req.get('origin');
    if (flow && origin) {
      const tenant = await deps.tenants.get(flow.tenantId);
      if (tenant?.allowedOrigins.includes(origin))
        res.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    }
    res.set('Cache-Control', 'no-store');
    if (!flow) {
      res.status(404).json({ state: 'pending' } satisfies StatusBody);
      return;
    }
    res.json({ state: flow.state, ...(flow.outcome ?? {}) });
  });

  router.use(
    '/link',
    function connectPageFailed(error: unknown, req: Request, res: Response, next: NextFunction) {
      if (res.headersSent) return next(error);
      deps.logger.error({ err: error, path: req.path }, 'connect page failed');
      const locale = pickLocale(req.query.lang, req.get('accept-language'));
      const t = translator(locale);
      const status = (error as { status?: number }).status;
      respond.failure(
        res,
        status && status >= 400 && status < 500 ? status : 500,
        locale,
        t,
        t('unreachable', { integration: '' }),
      );
    },
  );

  return router;
}
